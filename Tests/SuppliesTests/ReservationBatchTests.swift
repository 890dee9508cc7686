import Foundation
import Models
import PostgresNIO
import ServiceKit
import Store
import Synchronization
import TestSupport
import Testing

@testable import Supplies

/// Reservations that arrive together share one transaction (`ReservationBatch`): each is
/// answered as if it had come alone, and the ledger reads as if they had.
@Suite struct ReservationBatchTests {
    static func access(_ area: String, subject: String = "station-staff") -> AccessToken {
        AccessToken(subject: subject, role: .staff, area: AreaCode(area), expiresAt: Date().addingTimeInterval(3600))
    }

    static func job(depot: String, item: String, quantity: Int, request: String? = nil, area: String = "320505-001") -> ReservationBatch.Job
    {
        ReservationBatch.Job(
            reservation: NewReservation(
                request: request.flatMap(UUID.init(uuidString:)), depot: UUID(uuidString: depot)!, item: UUID(uuidString: item)!,
                quantity: quantity),
            access: access(area))
    }

    static func reserve(_ harness: ServiceHarness, _ jobs: [ReservationBatch.Job]) async throws -> [Result<Reservation, any Error>] {
        try await harness.database.withClient { client in
            try await client.transaction(logger: .test) { connection in
                try await ReservationBatch(connection: connection, logger: .test).reserve(jobs)
            }
        }
    }

    /// An item and a depot, stocked with `lines` (quantity, days to expiry) through the endpoints.
    static func stocked(_ harness: ServiceHarness, _ lines: [(Int, Double?)]) async throws -> (item: String, depot: String, lots: [String])
    {
        let made = Mutex<(String, String, [String])>(("", "", []))
        try await harness.run { client in
            let (item, depot) = try await SuppliesHarness.itemAndDepot(client)
            let lots = try await SuppliesHarness.receive(client, depot: depot, item: item, lines)
            made.withLock { $0 = (item, depot, lots) }
        }
        return made.withLock { (item: $0.0, depot: $0.1, lots: $0.2) }
    }

    @Test func aBatchServesFirstComeFirstAcrossLotsAndRefusesOnlyWhatDoesNotFit() async throws {
        let harness = try await SuppliesHarness.create()
        // 3 expiring in two days, 4 in ten: seven in all.
        let (item, depot, lots) = try await Self.stocked(harness, [(4, 10), (3, 2)])
        let results = try await Self.reserve(
            harness,
            [
                Self.job(depot: depot, item: item, quantity: 2), Self.job(depot: depot, item: item, quantity: 2),
                Self.job(depot: depot, item: item, quantity: 4), Self.job(depot: depot, item: item, quantity: 3),
            ])
        let held = results.compactMap { try? $0.get() }
        #expect(held.map(\.quantity) == [2, 2, 3], "the third asks for 4 when 3 are left; the fourth's 3 still fit")
        guard case .failure(let refusal as Refusal) = results[2] else {
            Issue.record("the third reservation should be refused, got \(results[2])")
            return
        }
        #expect(refusal.description.contains("Only 3 available at this depot; 4 asked"), "\(refusal)")

        let database = harness.database
        // The lot expiring first went first: 2 + 1 of it to the first two, the rest from the later lot.
        #expect(
            try await database.scalar("SELECT reserved FROM stock_balances WHERE lot_id = \(UUID(uuidString: lots[1])!)", as: Int.self) == 3
        )
        #expect(
            try await database.scalar("SELECT reserved FROM stock_balances WHERE lot_id = \(UUID(uuidString: lots[0])!)", as: Int.self) == 4
        )
        #expect(
            try await database.scalar("SELECT count(*)::int FROM reservations WHERE status = 'held'", as: Int.self) == 3)
        // Each reservation's lines add up to it, and each line has its own movement.
        #expect(
            try await database.scalar(
                """
                SELECT count(*)::int FROM reservations r
                WHERE r.quantity <> (SELECT sum(quantity) FROM reservation_lines l WHERE l.reservation_id = r.id)
                   OR r.quantity <> (SELECT sum(reserved_change) FROM stock_movements m WHERE m.reservation_id = r.id)
                """, as: Int.self) == 0)
        try await StockTests.expectLedgerMatchesBalances(harness)
        #expect(try await harness.events("supplies.reservation.created").count == 3)
    }

    @Test func aBatchRefusesADepotOutsideTheAreaAndAnEndedWorkOrderWithoutTouchingTheOthers() async throws {
        let harness = try await SuppliesHarness.create()
        let (item, depot, _) = try await Self.stocked(harness, [(10, nil)])
        let open = try await SuppliesHarness.workOrder(harness)
        let cancelled = try await SuppliesHarness.workOrder(harness)
        _ = try await harness.database.withClient { client in
            try await client.query(
                "INSERT INTO supplies_ended_requests (request_id, how) VALUES (\(UUID(uuidString: cancelled)!), 'cancelled')", logger: .test
            )
        }
        let results = try await Self.reserve(
            harness,
            [
                Self.job(depot: depot, item: item, quantity: 1, area: "320505-002"),
                Self.job(depot: depot, item: item, quantity: 1, request: cancelled),
                Self.job(depot: depot, item: item, quantity: 1, request: open),
                Self.job(depot: depot, item: item, quantity: 1, request: open, area: "320505-002"),
            ])
        guard case .failure(let outside as InvalidFields) = results[0] else {
            Issue.record("a depot of another street should be refused as unknown, got \(results[0])")
            return
        }
        #expect(outside.fields.map(\.field) == ["depotId"])
        guard case .failure(let ended as Refusal) = results[1] else {
            Issue.record("a cancelled work order should be refused, got \(results[1])")
            return
        }
        #expect(ended == ReservationStore.workOrderEnded)
        #expect(try results[2].get().request == UUID(uuidString: open))
        // The same depot is refused first for a caller of another street, before its work order is looked at.
        guard case .failure(let other as InvalidFields) = results[3] else {
            Issue.record("another street's caller should be refused, got \(results[3])")
            return
        }
        #expect(other.fields.map(\.field) == ["depotId"])
        #expect(try await harness.database.scalar("SELECT sum(reserved)::int FROM stock_balances", as: Int.self) == 1)
        #expect(try await harness.database.scalar("SELECT count(*)::int FROM reservations", as: Int.self) == 1)
        #expect(try await harness.events("supplies.reservation.created").count == 1)
    }

    @Test func aBatchPlannedOnALotAnotherProcessTakesMeanwhileIsPlannedAgainOnLockedLotsAndNeverOversells() async throws {
        let harness = try await SuppliesHarness.create()
        let (item, depot, lots) = try await Self.stocked(harness, [(5, nil)])
        let lot = UUID(uuidString: lots[0])!
        let jobs = [Self.job(depot: depot, item: item, quantity: 2), Self.job(depot: depot, item: item, quantity: 2)]
        let results = try await harness.database.withClient { client in
            try await client.withConnection { other in
                // Another process reserves 3 of the 5 and has not committed: the batch still
                // reads 5 available, plans 2 + 2, and waits on the lot's row.
                try await other.query("BEGIN", logger: .test)
                try await other.query("UPDATE stock_balances SET reserved = reserved + 3 WHERE lot_id = \(lot)", logger: .test)
                return try await withThrowingTaskGroup(of: [Result<Reservation, any Error>]?.self) { group in
                    group.addTask { try await ReservationWriter.write(jobs, client: client, logger: .test) }
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(500))
                        try await other.query(
                            "INSERT INTO stock_movements (lot_id, depot_id, item_id, kind, on_hand_change, reserved_change, reason, actor) SELECT lot_id, depot_id, item_id, 'reservation', 0, 3, 'elsewhere', 'other' FROM stock_balances WHERE lot_id = \(lot)",
                            logger: .test)
                        try await other.query("COMMIT", logger: .test)
                        return nil
                    }
                    var written: [Result<Reservation, any Error>] = []
                    for try await results in group { if let results { written = results } }
                    return written
                }
            }
        }
        #expect(results.count == 2)
        #expect((try? results[0].get())?.quantity == 2, "planned again on the locked lot, the first fits in the 2 left")
        guard results.count == 2, case .failure(let refusal as Refusal) = results[1] else {
            Issue.record("the second should be refused, got \(results)")
            return
        }
        #expect(refusal.description.contains("Only 0 available"), "\(refusal)")
        #expect(try await harness.database.scalar("SELECT reserved FROM stock_balances WHERE lot_id = \(lot)", as: Int.self) == 5)
        #expect(try await harness.database.scalar("SELECT count(*)::int FROM reservations", as: Int.self) == 1)
        #expect(try await harness.events("supplies.reservation.created").count == 1, "the batch's events were rolled back with it")
        try await StockTests.expectLedgerMatchesBalances(harness)
    }

    @Test func aLotThatCannotTakeTheBatchsSumIsLeftExactlyAsItWas() async throws {
        let harness = try await SuppliesHarness.create()
        let (item, depot, lots) = try await Self.stocked(harness, [(5, nil)])
        let lot = UUID(uuidString: lots[0])!
        let context = StockLedger.Context(reason: "reservation", actor: "station-staff")
        let (depotID, itemID) = (UUID(uuidString: depot)!, UUID(uuidString: item)!)
        let (tooMuch, fits) = try await harness.database.withClient { client in
            try await client.transaction(logger: .test) { connection in
                let ledger = StockLedger(connection: connection, logger: .test)
                var shares: [StockLedger.ReservedShare] = []
                for quantity in [3, 2, 1, 1, 1] {
                    let id = UUID()
                    try await connection.query(
                        """
                        INSERT INTO reservations (id, depot_id, item_id, quantity, actor)
                        VALUES (\(id), \(depotID), \(itemID), \(quantity), 'station-staff')
                        """, logger: .test)
                    shares.append(.init(reservation: id, quantity: quantity, context: context))
                }
                // What another process did meanwhile: 3 of the 5 are gone.
                _ = try await ledger.reserveTogether(lot: lot, [shares[0]])
                let tooMuch = try await ledger.reserveTogether(lot: lot, [shares[1], shares[2]])
                let fits = try await ledger.reserveTogether(lot: lot, [shares[3], shares[4]])
                return (tooMuch, fits)
            }
        }
        #expect(!tooMuch, "2 + 1 does not fit in the 2 left")
        #expect(fits)
        #expect(try await harness.database.scalar("SELECT reserved FROM stock_balances WHERE lot_id = \(lot)", as: Int.self) == 5)
        #expect(
            try await harness.database.scalar("SELECT count(*)::int FROM stock_movements WHERE kind = 'reservation'", as: Int.self) == 3)
        try await StockTests.expectLedgerMatchesBalances(harness)
    }
}
