import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of stock moved by hand: transfers between depots, write-offs and thresholds, in
/// the caller's transaction, through the ``StockLedger``.
struct StockStore {
    let connection: PostgresConnection
    let logger: Logger

    var ledger: StockLedger { StockLedger(connection: connection, logger: logger) }

    /// Moves stock between depots of the caller's area, first-expiring lots first; each
    /// moved part becomes a lot at the destination with the same expiry, linked to its source.
    ///
    /// Concurrency: the source lots are locked (in id order, like every ledger change) before
    /// the plan is made, so the plan cannot go stale and concurrent transfers queue.
    func transfer(_ transfer: Transfer, by access: AccessToken) async throws -> [UUID] {
        let depots = DepotAccess(connection: connection, logger: logger)
        let fromArea = try await depots.require(transfer.from, access, field: "fromDepotId")
        let toArea = try await depots.require(transfer.to, access, field: "toDepotId")
        let lots = try await ledger.lockAvailableLots(depot: transfer.from, item: transfer.item)
        guard let plan = LotPlan(quantity: transfer.quantity, from: lots, now: Date()) else {
            throw Refusal("Only \(lots.reduce(0) { $0 + $1.available }) available to transfer.", title: "Not enough stock")
        }
        let context = StockLedger.Context(reason: "transfer: \(transfer.reason)", actor: access.subject)
        var moved: [UUID] = []
        for take in plan.takes {
            try await ledger.apply(StockMovement(lot: take.lot, kind: .transferOut, quantity: take.quantity), context)
            let lot = UUID()
            try await connection.query(
                """
                INSERT INTO lots (id, item_id, depot_id, source_lot, expires_at, quantity)
                SELECT \(lot), item_id, \(transfer.to), id, expires_at, \(take.quantity) FROM lots WHERE id = \(take.lot)
                """,
                logger: logger
            )
            try await ledger.receive(lot: lot, depot: transfer.to, item: transfer.item, quantity: take.quantity, kind: .transferIn, context)
            moved.append(lot)
        }
        let (from, to, item, quantity) = (transfer.from, transfer.to, transfer.item, transfer.quantity)
        try await Outbox.append(
            [
                SuppliesEvents.stockChanged(
                    SuppliesEvents.stockTransferredOut, depot: from, area: fromArea.rawValue, item: item, quantity: quantity,
                    extra: ["toDepotId": SuppliesEvents.id(to)]
                ),
                SuppliesEvents.stockChanged(
                    SuppliesEvents.stockTransferredIn, depot: to, area: toArea.rawValue, item: item, quantity: quantity,
                    extra: ["fromDepotId": SuppliesEvents.id(from)]
                ),
            ], on: connection, logger: logger)
        return moved
    }

    /// Writes stock off a lot of the caller's area (422 on `lotId` otherwise) and announces
    /// it. Reserved stock cannot be written off: it is released first.
    func writeOff(_ writeOff: WriteOff, by access: AccessToken) async throws {
        guard
            let (depot, item) = try await connection.query(
                "SELECT depot_id, item_id FROM lots WHERE id = \(writeOff.lot)", logger: logger
            ).decode((UUID, UUID).self).collectAll().first
        else { throw InvalidFields("lotId", "no such lot in your area") }
        let area = try await DepotAccess(connection: connection, logger: logger).require(depot, access, field: "lotId")
        do {
            try await ledger.apply(
                StockMovement(lot: writeOff.lot, kind: .adjustment, quantity: writeOff.quantity),
                .init(reason: writeOff.reason, actor: access.subject)
            )
        } catch let refusal as Refusal {
            throw Refusal("\(refusal) Reserved stock is released before it is written off.", title: "Not enough stock")
        }
        try await Outbox.append(
            SuppliesEvents.stockChanged(
                SuppliesEvents.stockWrittenOff, depot: depot, area: area.rawValue, item: item, quantity: writeOff.quantity,
                extra: ["lotId": SuppliesEvents.id(writeOff.lot)]
            ),
            on: connection, logger: logger
        )
    }

    /// Sets a depot's threshold for an item (the depot in the caller's area: 422 on `depotId`).
    func set(_ threshold: StockThreshold, by access: AccessToken) async throws {
        _ = try await DepotAccess(connection: connection, logger: logger).require(threshold.depotId, access, field: "depotId")
        try await connection.query(
            """
            INSERT INTO stock_thresholds (depot_id, item_id, minimum, horizon_days)
            VALUES (\(threshold.depotId), \(threshold.itemId), \(threshold.minimum), \(threshold.horizonDays))
            ON CONFLICT (depot_id, item_id) DO UPDATE SET minimum = EXCLUDED.minimum, horizon_days = EXCLUDED.horizon_days
            """,
            logger: logger
        )
    }
}
