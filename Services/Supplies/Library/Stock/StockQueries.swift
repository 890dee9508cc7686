import Foundation
import Logging
import PostgresNIO

/// What a depot holds, how it got there and how long it lasts: the stock pages' reads.
struct StockQueries {
    let connection: PostgresConnection
    let logger: Logger

    struct LotStock: Codable {
        var lotId: UUID
        var itemId: UUID
        var item: String
        var unit: String
        var expiresAt: Date?
        var onHand: Int
        var reserved: Int
        /// What may still be promised: nothing from an expired lot.
        var available: Int
        var expired: Bool
    }

    struct Movement: Codable {
        var cursor: Int64
        var lotId: UUID
        var itemId: UUID
        var kind: String
        var onHandChange: Int
        var reservedChange: Int
        var reason: String
        var reservationId: UUID?
        var actor: String
        var at: Date
    }

    struct Cover: Codable {
        var itemId: UUID
        var item: String
        var available: Int
        var issuedLastSevenDays: Int
        var dailyUse: Double
        var daysOfCover: Double?
    }

    /// The depot's lots with stock on the shelf, by item and then first to expire.
    func lots(depot: UUID, now: Date = Date()) async throws -> [LotStock] {
        try await connection.query(
            """
            SELECT b.lot_id, b.item_id, i.name, i.unit, l.expires_at, b.on_hand, b.reserved
            FROM stock_balances b JOIN lots l ON l.id = b.lot_id JOIN supply_items i ON i.id = b.item_id
            WHERE b.depot_id = \(depot) AND b.on_hand > 0 ORDER BY i.name, l.expires_at NULLS LAST, l.seq
            """,
            logger: logger
        ).decode((UUID, UUID, String, String, Date?, Int, Int).self).collectAll().map { lot, item, name, unit, expires, onHand, reserved in
            let expired = expires.map { $0 <= now } ?? false
            return LotStock(
                lotId: lot, itemId: item, item: name, unit: unit, expiresAt: expires, onHand: onHand, reserved: reserved,
                available: expired ? 0 : onHand - reserved, expired: expired
            )
        }
    }

    /// The depot's ledger after the cursor `after`, oldest first.
    func movements(depot: UUID, after: Int64, limit: Int) async throws -> [Movement] {
        try await connection.query(
            """
            SELECT seq, lot_id, item_id, kind, on_hand_change, reserved_change, reason, reservation_id, actor, at
            FROM stock_movements WHERE depot_id = \(depot) AND seq > \(after) ORDER BY seq LIMIT \(limit)
            """,
            logger: logger
        ).decode((Int64, UUID, UUID, String, Int, Int, String, UUID?, String, Date).self).collectAll().map { row in
            Movement(
                cursor: row.0, lotId: row.1, itemId: row.2, kind: row.3, onHandChange: row.4, reservedChange: row.5, reason: row.6,
                reservationId: row.7, actor: row.8, at: row.9
            )
        }
    }

    /// Available stock (expired lots count for nothing) and units issued in the last seven
    /// days, per item the depot ever held, with how long it lasts at that pace.
    func cover(depot: UUID) async throws -> [Cover] {
        try await connection.query(
            """
            SELECT i.id, i.name,
                   coalesce((SELECT sum(b.on_hand - b.reserved) FROM stock_balances b JOIN lots l ON l.id = b.lot_id
                              WHERE b.depot_id = \(depot) AND b.item_id = i.id AND (l.expires_at IS NULL OR l.expires_at > now())), 0)::int,
                   coalesce((SELECT sum(-on_hand_change) FROM stock_movements m
                             WHERE m.depot_id = \(depot) AND m.item_id = i.id AND m.kind = 'issue'
                               AND m.at > now() - interval '7 days'), 0)::int
            FROM supply_items i
            WHERE EXISTS (SELECT 1 FROM lots l WHERE l.depot_id = \(depot) AND l.item_id = i.id)
            ORDER BY i.name
            """,
            logger: logger
        ).decode((UUID, String, Int, Int).self).collectAll().map { item, name, available, issued in
            let cover = StockCover(available: available, issuedInWindow: issued)
            return Cover(
                itemId: item, item: name, available: available, issuedLastSevenDays: issued, dailyUse: cover.dailyUse,
                daysOfCover: cover.daysOfCover
            )
        }
    }
}
