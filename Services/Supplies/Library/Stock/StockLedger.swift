import Foundation
import Logging
import Models
import PostgresNIO

/// The SQL of the stock ledger: a movement and its balance change, together, inside the
/// caller's transaction.
///
/// Concurrency: every change goes through one conditional `UPDATE` of the lot's balance
/// row, which PostgreSQL re-checks after taking the row lock, and the table's CHECKs back
/// it up; so two reservations racing for the last masks cannot both succeed, on one
/// replica or on several.
struct StockLedger {
    let connection: PostgresConnection
    let logger: Logger

    /// What a movement is for, kept beside it.
    struct Context: Sendable {
        var reason: String
        var actor: String
        var reservation: UUID? = nil
    }

    /// Creates `lot`'s balance with its first receipt.
    func receive(lot: UUID, depot: UUID, item: UUID, quantity: Int, kind: StockMovement.Kind = .receipt, _ context: Context) async throws {
        try await connection.query(
            "INSERT INTO stock_balances (lot_id, depot_id, item_id, on_hand, reserved) VALUES (\(lot), \(depot), \(item), \(quantity), 0)",
            logger: logger
        )
        try await log(StockMovement(lot: lot, kind: kind, quantity: quantity), depot: depot, item: item, context)
    }

    /// Applies `movement` to its lot; throws a ``Refusal`` when the balance cannot take it.
    func apply(_ movement: StockMovement, _ context: Context) async throws {
        let (onHand, reserved) = movement.change
        guard movement.quantity > 0 else { throw Refusal("A movement moves a positive quantity.") }
        let updated = try await connection.query(
            """
            UPDATE stock_balances SET on_hand = on_hand + \(onHand), reserved = reserved + \(reserved)
            WHERE lot_id = \(movement.lot) AND on_hand + \(onHand) >= 0 AND reserved + \(reserved) >= 0
              AND reserved + \(reserved) <= on_hand + \(onHand)
            RETURNING depot_id, item_id
            """,
            logger: logger
        ).decode((UUID, UUID).self).collectAll().first
        guard let (depot, item) = updated else {
            throw Refusal(
                "Lot \(movement.lot.lowercasedString) cannot \(movement.kind.rawValue) \(movement.quantity): not enough stock.",
                title: "Not enough stock"
            )
        }
        try await log(movement, depot: depot, item: item, context)
    }

    private func log(_ movement: StockMovement, depot: UUID, item: UUID, _ context: Context) async throws {
        let (onHand, reserved) = movement.change
        try await connection.query(
            """
            INSERT INTO stock_movements (lot_id, depot_id, item_id, kind, on_hand_change, reserved_change, reason, reservation_id, actor)
            VALUES (\(movement.lot), \(depot), \(item), \(movement.kind.rawValue), \(onHand), \(reserved), \(context.reason),
                    \(context.reservation), \(context.actor))
            """,
            logger: logger
        )
    }

    /// Applies `movement` and logs it — and, for a reservation, its line — in one statement,
    /// so the lot's row lock is held only from here to COMMIT. Returns `false`, changing
    /// nothing, when the lot cannot take it (another reservation got there first).
    func tryApply(_ movement: StockMovement, _ context: Context, reservationLine: UUID? = nil) async throws -> Bool {
        let (onHand, reserved) = movement.change
        return try await connection.query(
            """
            WITH changed AS (
                UPDATE stock_balances SET on_hand = on_hand + \(onHand), reserved = reserved + \(reserved)
                WHERE lot_id = \(movement.lot) AND on_hand + \(onHand) >= 0 AND reserved + \(reserved) >= 0
                  AND reserved + \(reserved) <= on_hand + \(onHand)
                RETURNING lot_id, depot_id, item_id
            ), line AS (
                INSERT INTO reservation_lines (reservation_id, lot_id, quantity)
                SELECT \(reservationLine), lot_id, \(movement.quantity) FROM changed WHERE \(reservationLine)::uuid IS NOT NULL
                ON CONFLICT (reservation_id, lot_id) DO UPDATE SET quantity = reservation_lines.quantity + EXCLUDED.quantity
            ), logged AS (
                INSERT INTO stock_movements (lot_id, depot_id, item_id, kind, on_hand_change, reserved_change, reason, reservation_id, actor)
                SELECT lot_id, depot_id, item_id, \(movement.kind.rawValue), \(onHand), \(reserved), \(context.reason), \(context.reservation), \(context.actor)
                FROM changed
            )
            SELECT count(*)::int FROM changed
            """,
            logger: logger
        ).decode(Int.self).collectAll().first == 1
    }

    /// One reservation's share of a lot, in a batch of reservations of that lot.
    struct ReservedShare: Sendable {
        var reservation: UUID
        var quantity: Int
        var context: Context
    }

    /// Reserves `shares` of one lot together, in one statement: one conditional change of
    /// the lot's balance by their sum, and a reservation line and a movement for each, so
    /// the ledger reads exactly as if they had been reserved one by one. Returns `false`,
    /// changing nothing, when the lot cannot take the sum (it was taken meanwhile).
    ///
    /// Concurrency: as ``tryApply(_:_:reservationLine:)``, the balance is changed by one
    /// conditional `UPDATE` that PostgreSQL re-checks under the row lock; the sum either
    /// fits whole or nothing is written. A batch holds the lot's row lock from this
    /// statement to its commit once, where single reservations held it once each: that is
    /// what lets one hot lot take thousands of reservations a second.
    func reserveTogether(lot: UUID, _ shares: [ReservedShare]) async throws -> Bool {
        guard !shares.isEmpty else { return true }
        let total = shares.reduce(0) { $0 + $1.quantity }
        guard shares.allSatisfy({ $0.quantity > 0 }) else { throw Refusal("A movement moves a positive quantity.") }
        let reservations = shares.map(\.reservation)
        let quantities = shares.map(\.quantity)
        let reasons = shares.map(\.context.reason)
        let actors = shares.map(\.context.actor)
        return try await connection.query(
            """
            WITH changed AS (
                UPDATE stock_balances SET reserved = reserved + \(total)
                WHERE lot_id = \(lot) AND reserved + \(total) <= on_hand
                RETURNING lot_id, depot_id, item_id
            ), share AS (
                SELECT r, q, why, who FROM UNNEST(\(reservations)::uuid[], \(quantities)::int[], \(reasons)::text[], \(actors)::text[])
                    AS s(r, q, why, who)
            ), line AS (
                INSERT INTO reservation_lines (reservation_id, lot_id, quantity)
                SELECT share.r, changed.lot_id, share.q FROM changed, share
            ), logged AS (
                INSERT INTO stock_movements (lot_id, depot_id, item_id, kind, on_hand_change, reserved_change, reason, reservation_id, actor)
                SELECT changed.lot_id, changed.depot_id, changed.item_id, \(StockMovement.Kind.reservation.rawValue), 0, share.q,
                       share.why, share.r, share.who
                FROM changed, share
            )
            SELECT count(*)::int FROM changed
            """,
            logger: logger
        ).decode(Int.self).collectAll().first == 1
    }

    /// The lots of `item` at `depot` with something available now, unlocked: a plan, which
    /// ``tryApply(_:_:reservationLine:)`` then checks lot by lot.
    func availableLots(depot: UUID, item: UUID) async throws -> [LotPlan.Lot] {
        try await availableLots(of: [(depot, item)], locked: false).map(\.lot)
    }

    /// The lots of `item` at `depot` with something available, locked in one order (by id)
    /// so concurrent reservations queue instead of deadlocking.
    func lockAvailableLots(depot: UUID, item: UUID) async throws -> [LotPlan.Lot] {
        try await availableLots(of: [(depot, item)], locked: true).map(\.lot)
    }

    /// The lots with something available of each (depot, item) pair, in lot-id order; with
    /// `locked`, locked together in that order, so transactions that lock several pairs never
    /// wait for each other in a circle.
    func availableLots(of pairs: [(depot: UUID, item: UUID)], locked: Bool) async throws
        -> [(depot: UUID, item: UUID, lot: LotPlan.Lot)]
    {
        guard !pairs.isEmpty else { return [] }
        var lots: [(depot: UUID, item: UUID, lot: LotPlan.Lot)] = []
        for try await (depot, item, id, expiresAt, seq, available) in try await connection.query(
            """
            SELECT b.depot_id, b.item_id, b.lot_id, l.expires_at, l.seq, b.on_hand - b.reserved
            FROM stock_balances b JOIN lots l ON l.id = b.lot_id
            JOIN UNNEST(\(pairs.map(\.depot))::uuid[], \(pairs.map(\.item))::uuid[]) AS p(d, i) ON p.d = b.depot_id AND p.i = b.item_id
            WHERE b.on_hand > b.reserved
            ORDER BY b.lot_id \(unescaped: locked ? "FOR UPDATE OF b" : "")
            """,
            logger: logger
        ).decode((UUID, UUID, UUID, Date?, Int64, Int).self) {
            lots.append((depot, item, LotPlan.Lot(id: id, expiresAt: expiresAt, receivedSeq: seq, available: available)))
        }
        return lots
    }
}
