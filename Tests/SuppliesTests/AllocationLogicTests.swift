import Foundation
import Models
import Testing

@testable import Supplies

/// The allocation's weights, its fallbacks when no need is recorded, where each share goes,
/// and a kept plan's steps — without I/O.
@Suite struct AllocationLogicTests {
    @Test func householdsWeighByTheirCompoundsStatusWithTheDocumentedDefaults() {
        let weights = Allocation.Weights()
        #expect(weights.all == [2, 1, 0, 0, 2, 3], "sealed, controlled, precaution, resident, vulnerable, open request")
        let allocation = Allocation(
            total: 100,
            needs: [
                .init(community: "A", sealedHouseholds: 40, vulnerableResidents: 0, openRequests: 0),
                .init(community: "B", sealedHouseholds: 0, controlledHouseholds: 80, vulnerableResidents: 0, openRequests: 0),
                .init(
                    community: "C", sealedHouseholds: 0, precautionHouseholds: 500, population: 9_000, vulnerableResidents: 0,
                    openRequests: 0),
            ])
        #expect(allocation.basis == .need)
        #expect(allocation.shares.map(\.quantity) == [50, 50, 0], "a controlled household weighs half a sealed one; precaution nothing")
        #expect(allocation.shares[1].reasoning.hasPrefix("0 sealed households × 2 + 80 controlled households × 1"))
    }

    @Test func withNoRecordedNeedTheLotGoesByHouseholdsThenByResidents() {
        let byHouseholds = Allocation(
            total: 90,
            needs: [
                .init(community: "A", sealedHouseholds: 0, precautionHouseholds: 200, vulnerableResidents: 0, openRequests: 0),
                .init(community: "B", sealedHouseholds: 0, precautionHouseholds: 100, vulnerableResidents: 0, openRequests: 0),
            ])
        #expect(byHouseholds.basis == .households)
        #expect(byHouseholds.shares.map(\.quantity) == [60, 30])
        #expect(byHouseholds.shares[0].reasoning.hasPrefix("no recorded need, so by households"))
        let byResidents = Allocation(
            total: 10,
            needs: [
                .init(community: "A", sealedHouseholds: 0, population: 3_000, vulnerableResidents: 0, openRequests: 0),
                .init(community: "B", sealedHouseholds: 0, population: 7_000, vulnerableResidents: 0, openRequests: 0),
            ])
        #expect(byResidents.basis == .population)
        #expect(byResidents.shares.map(\.quantity) == [3, 7])
        let nothing = Allocation(total: 10, needs: [.init(community: "A", sealedHouseholds: 0, vulnerableResidents: 0, openRequests: 0)])
        #expect(nothing.shares.map(\.points) == [0], "nothing known: nothing to split by")
    }

    @Test func weightsLeftOutOfARequestKeepTheirDefaults() throws {
        let weights = try JSONDecoder().decode(Allocation.Weights.self, from: Data(#"{"openRequest": 7}"#.utf8))
        #expect(weights == Allocation.Weights(openRequest: 7))
    }

    @Test func aShareGoesToTheNamedDepotThePlansOwnOrTheCommunitysOnlyDepot() throws {
        let community = try #require(AreaCode("320505-001-001"))
        let (source, here, other) = (UUID(), UUID(), UUID())
        let street = try #require(AreaCode("320505-001"))
        let one: [(id: UUID, area: AreaCode)] = [(source, street), (here, community)]
        #expect(try AllocationPlanStore.destination(of: community, named: nil, source: source, depots: one).get() == here)
        let two = one + [(other, try #require(AreaCode("320505-001-001-01")))]
        #expect(throws: AllocationPlanStore.DestinationProblem.self) {
            try AllocationPlanStore.destination(of: community, named: nil, source: source, depots: two).get()
        }
        #expect(try AllocationPlanStore.destination(of: community, named: other, source: source, depots: two).get() == other)
        #expect(throws: AllocationPlanStore.DestinationProblem.self, "the plan's own depot is not the community's") {
            try AllocationPlanStore.destination(of: community, named: source, source: source, depots: two).get()
        }
        #expect(try AllocationPlanStore.destination(of: community, named: nil, source: here, depots: two).get() == here, "stays")
        #expect(throws: AllocationPlanStore.DestinationProblem.self) {
            try AllocationPlanStore.destination(of: community, named: nil, source: source, depots: [(source, street)]).get()
        }
    }

    @Test func aKeptPlanIsApprovedThenCarriedOutOnce() throws {
        var progress = AllocationProgress(status: .proposed)
        #expect(throws: Refusal.self, "not before approval") { try progress.transfer() }
        try progress.approve()
        #expect(throws: Refusal.self) { try progress.approve() }
        try progress.transfer()
        #expect(progress.status == .transferred)
        #expect(throws: Refusal.self) { try progress.transfer() }
    }
}
