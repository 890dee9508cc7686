import EventBus
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Store

/// Watches every depot's stock (expired lots count for nothing): announces `supplies.stock.low` when an item falls below its
/// minimum or will run out within the depot's horizon at the last seven days' pace, and
/// `supplies.lot.expiring` for lots that expire within `expiryNotice`.
///
/// Each condition is announced once: the row that records it is claimed with a conditional
/// write in the same transaction as the event, so replicas running side by side never
/// announce it twice. Stock that recovers clears the mark, and a later shortage is
/// announced again.
struct StockWatch: Service {
    let client: PostgresClient
    let logger: Logger
    var interval: Duration = .seconds(60)
    var expiryNotice: Duration = .seconds(7 * 86_400)

    func run() async throws {
        try await PeriodicWork("checking stock", every: interval, logger: logger) { [self] in try await check() }.run()
    }

    /// One round: running-low and expiring lots.
    func check(now: Date = Date()) async throws {
        try await client.transaction(logger: logger) { connection in
            try await announceLowStock(on: connection)
            try await announceExpiringLots(before: now.addingTimeInterval(Double(expiryNotice.components.seconds)), on: connection)
        }
    }

    private func announceLowStock(on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            """
            SELECT t.depot_id, t.item_id, d.area, t.minimum, t.horizon_days, t.low_since IS NOT NULL,
                   coalesce((SELECT sum(b.on_hand - b.reserved) FROM stock_balances b JOIN lots l ON l.id = b.lot_id
                             WHERE b.depot_id = t.depot_id AND b.item_id = t.item_id AND (l.expires_at IS NULL OR l.expires_at > now())), 0)::int,
                   coalesce((SELECT sum(-on_hand_change) FROM stock_movements m WHERE m.depot_id = t.depot_id AND m.item_id = t.item_id
                             AND m.kind = 'issue' AND m.at > now() - interval '7 days'), 0)::int
            FROM stock_thresholds t JOIN depots d ON d.id = t.depot_id
            """,
            logger: logger
        ).decode((UUID, UUID, String, Int, Int, Bool, Int, Int).self).collectAll()
        for (depot, item, area, minimum, horizon, markedLow, available, issued) in rows {
            let cover = StockCover(available: available, issuedInWindow: issued)
            let low = cover.isLow(minimum: minimum, horizonDays: Double(horizon))
            if low && !markedLow {
                let claimed =
                    try await connection.query(
                        "UPDATE stock_thresholds SET low_since = now() WHERE depot_id = \(depot) AND item_id = \(item) AND low_since IS NULL RETURNING 1",
                        logger: logger
                    ).collect().count == 1
                if claimed {
                    try await Outbox.append(
                        SuppliesEvents.lowStock(
                            depot: depot, item: item, area: area, available: available, minimum: minimum, daysOfCover: cover.daysOfCover),
                        on: connection, logger: logger
                    )
                }
            } else if !low && markedLow {
                try await connection.query(
                    "UPDATE stock_thresholds SET low_since = NULL WHERE depot_id = \(depot) AND item_id = \(item)", logger: logger)
            }
        }
    }

    private func announceExpiringLots(before limit: Date, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            """
            INSERT INTO lot_expiry_notices (lot_id)
            SELECT l.id FROM lots l JOIN stock_balances b ON b.lot_id = l.id
            WHERE l.expires_at IS NOT NULL AND l.expires_at < \(limit) AND b.on_hand > 0
            ON CONFLICT (lot_id) DO NOTHING
            RETURNING lot_id
            """,
            logger: logger
        ).decode(UUID.self).collectAll()
        guard !rows.isEmpty else { return }
        let details = try await connection.query(
            """
            SELECT l.id, l.depot_id, l.item_id, d.area, l.expires_at, b.on_hand
            FROM lots l JOIN depots d ON d.id = l.depot_id JOIN stock_balances b ON b.lot_id = l.id WHERE l.id = ANY(\(rows))
            """,
            logger: logger
        ).decode((UUID, UUID, UUID, String, Date, Int).self).collectAll()
        try await Outbox.append(
            details.map { SuppliesEvents.expiringLot(lot: $0.0, depot: $0.1, item: $0.2, area: $0.3, expiresAt: $0.4, onHand: $0.5) },
            on: connection, logger: logger
        )
    }
}
