import Foundation
import Models
import Testing

@testable import Supplies

/// The ledger's rules, the lot order, the allocation rule and the errand purchase, without I/O.
@Suite struct StockLogicTests {
    @Test func aBalanceIsTheSumOfItsMovementsAndNeverGoesNegative() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var balance = StockBalance()
            var accepted: [StockMovement] = []
            for _ in 0..<100 {
                let movement = StockMovement(
                    lot: UUID(), kind: StockMovement.Kind.allCases.randomElement(using: &generator)!,
                    quantity: Int.random(in: 1...20, using: &generator))
                if (try? balance.apply(movement)) != nil { accepted.append(movement) }
                #expect(balance.onHand >= 0 && balance.reserved >= 0 && balance.reserved <= balance.onHand)
            }
            let folded = accepted.reduce(into: (0, 0)) {
                $0.0 += $1.change.onHand
                $0.1 += $1.change.reserved
            }
            #expect(folded.0 == balance.onHand && folded.1 == balance.reserved)
        }
    }

    @Test func overReservingAndOverIssuingAreRefused() throws {
        var balance = StockBalance()
        try balance.apply(StockMovement(lot: UUID(), kind: .receipt, quantity: 10))
        try balance.apply(StockMovement(lot: UUID(), kind: .reservation, quantity: 8))
        #expect(throws: Refusal.self) { try balance.apply(StockMovement(lot: UUID(), kind: .reservation, quantity: 3)) }
        #expect(throws: Refusal.self) { try balance.apply(StockMovement(lot: UUID(), kind: .adjustment, quantity: 3)) }
        #expect(throws: Refusal.self) { try balance.apply(StockMovement(lot: UUID(), kind: .issue, quantity: 9)) }
        try balance.apply(StockMovement(lot: UUID(), kind: .issue, quantity: 8))
        #expect(balance == StockBalance(onHand: 2, reserved: 0))
    }

    @Test func lotsAreTakenFirstExpiringFirstAndExpiredOnesNever() throws {
        let now = Date()
        let later = LotPlan.Lot(id: UUID(), expiresAt: now.addingTimeInterval(86_400 * 30), receivedSeq: 1, available: 50)
        let sooner = LotPlan.Lot(id: UUID(), expiresAt: now.addingTimeInterval(86_400 * 3), receivedSeq: 2, available: 20)
        let undated = LotPlan.Lot(id: UUID(), expiresAt: nil, receivedSeq: 0, available: 100)
        let expired = LotPlan.Lot(id: UUID(), expiresAt: now.addingTimeInterval(-60), receivedSeq: 3, available: 500)
        let plan = try #require(LotPlan(quantity: 100, from: [undated, later, expired, sooner], now: now))
        #expect(
            plan.takes == [.init(lot: sooner.id, quantity: 20), .init(lot: later.id, quantity: 50), .init(lot: undated.id, quantity: 30)])
        #expect(LotPlan(quantity: 171, from: [undated, later, expired, sooner], now: now) == nil)
    }

    @Test func anAllocationSumsExactlyIsStableAndFollowsTheLargestRemainders() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let needs = (0..<Int.random(in: 1...12, using: &generator)).map { index in
                Allocation.Need(
                    community: "320505-001-\(String(format: "%03d", index))", sealedHouseholds: Int.random(in: 0...300, using: &generator),
                    vulnerableResidents: Int.random(in: 0...80, using: &generator), openRequests: Int.random(in: 0...40, using: &generator)
                )
            }
            let total = Int.random(in: 1...5_000, using: &generator)
            let allocation = Allocation(total: total, needs: needs)
            let points = allocation.shares.reduce(0) { $0 + $1.points }
            #expect(allocation.shares.reduce(0) { $0 + $1.quantity } == (points > 0 ? total : 0))
            #expect(Allocation(total: total, needs: needs.shuffled(using: &generator)) == allocation, "order of input must not matter")
            for share in allocation.shares where points > 0 {
                let exact = Double(total) * Double(share.points) / Double(points)
                #expect(Double(share.quantity) >= exact.rounded(.down) && Double(share.quantity) <= exact.rounded(.down) + 1)
            }
        }
        let seed = Allocation(
            total: 2_000,
            needs: [
                .init(community: "A", sealedHouseholds: 300, vulnerableResidents: 0, openRequests: 0),
                .init(community: "B", sealedHouseholds: 300, vulnerableResidents: 0, openRequests: 0),
                .init(community: "C", sealedHouseholds: 300, vulnerableResidents: 0, openRequests: 0),
            ])
        #expect(seed.shares.map(\.quantity) == [667, 667, 666])
        #expect(seed.shares[0].reasoning.contains("300 sealed households"))
    }

    @Test func anErrandPurchaseIsQuotedConfirmedBoughtDeliveredAndReimbursedInOrder() throws {
        var purchase = ErrandPurchase()
        #expect(throws: Refusal.self) { try purchase.apply(.purchase, amountFen: 3_000) }
        try purchase.apply(.quote, amountFen: 2_850)
        try purchase.apply(.confirm)
        #expect(throws: Refusal.self) { try purchase.apply(.purchase, amountFen: 4_000) }
        #expect(throws: Refusal.self, "a purchase records who paid") { try purchase.apply(.purchase, amountFen: 2_990) }
        let volunteer = Payer(kind: .volunteer, id: UUID())
        try purchase.apply(.purchase, amountFen: 2_990, party: volunteer)
        #expect(throws: Refusal.self) { try purchase.apply(.cancel) }
        try purchase.apply(.deliver)
        try purchase.apply(.reimburse)
        #expect(
            purchase == ErrandPurchase(status: .reimbursed, quotedFen: 2_850, paidFen: 2_990, paidBy: volunteer, reimbursedTo: volunteer),
            "the one who paid is paid back when nobody else is named")
    }

    @Test func daysOfCoverFollowTheLastWeeksPace() {
        let cover = StockCover(available: 30, issuedInWindow: 70)
        #expect(cover.dailyUse == 10 && cover.daysOfCover == 3)
        #expect(cover.isLow(minimum: 0, horizonDays: 4))
        #expect(!cover.isLow(minimum: 0, horizonDays: 2))
        #expect(StockCover(available: 5, issuedInWindow: 0).isLow(minimum: 10, horizonDays: 3))
        #expect(StockCover(available: 5, issuedInWindow: 0).daysOfCover == nil)
    }
}
