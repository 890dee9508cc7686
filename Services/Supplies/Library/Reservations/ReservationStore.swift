import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// Reserving, releasing and issuing stock for work orders, with their ledger movements and
/// events, inside the caller's transaction.
struct ReservationStore {
    let connection: PostgresConnection
    let logger: Logger

    var ledger: StockLedger { StockLedger(connection: connection, logger: logger) }

    /// Reserves `reservation` at a depot of the caller's area (422 on `depotId`), for a work
    /// order of that area (422 on `requestId`).
    func reserve(_ reservation: NewReservation, by access: AccessToken) async throws -> Reservation {
        let area = try await DepotAccess(connection: connection, logger: logger).require(reservation.depot, access, field: "depotId")
        if let request = reservation.request {
            try await WorkOrders(connection: connection, logger: logger).requireVisible(request, access, field: "requestId")
        }
        return try await reserve(
            request: reservation.request, depot: reservation.depot, area: area, item: reservation.item, quantity: reservation.quantity,
            actor: access.subject
        )
    }

    /// Reserves `quantity` of `item` at `depot`, first-expiring lots first; 409 with what is
    /// available when there is not enough, or when the work order has ended.
    ///
    /// Optimistic: everything that needs no lot is written first; the lots are then changed
    /// one conditional statement each, in lot-id order (the order every ledger change uses),
    /// so a lot's row lock is held only for the last statements and the commit. Each round
    /// runs under a savepoint: when a lot was taken meanwhile, the round is rolled back —
    /// its row locks with it — and planned again; the third round plans on locked lots.
    func reserve(request: UUID?, depot: UUID, area: AreaCode, item: UUID, quantity: Int, actor: String, now: Date = Date()) async throws
        -> Reservation
    {
        if let request {
            try await WorkOrders(connection: connection, logger: logger).lock(request)
            guard try await WorkOrders(connection: connection, logger: logger).ended(request) == nil else { throw Self.workOrderEnded }
        }
        let reservation = Reservation(id: UUID(), request: request, depot: depot, item: item, quantity: quantity, status: .held)
        try await connection.query(
            """
            INSERT INTO reservations (id, request_id, depot_id, item_id, quantity, actor)
            VALUES (\(reservation.id), \(request), \(depot), \(item), \(quantity), \(actor))
            """,
            logger: logger
        )
        try await Outbox.append(
            SuppliesEvents.reservation(SuppliesEvents.reservationCreated, reservation, area: area.rawValue), on: connection, logger: logger
        )
        let context = Self.context(of: reservation, actor: actor)
        for round in 0..<3 {
            // Two optimistic rounds; then the lots are locked (in id order) and the plan cannot go stale.
            let lots =
                round < 2
                ? try await ledger.availableLots(depot: depot, item: item) : try await ledger.lockAvailableLots(depot: depot, item: item)
            guard let plan = LotPlan(quantity: quantity, from: lots, now: now) else {
                throw Self.notEnough(in: lots, quantity: quantity, now: now)
            }
            try await connection.query("SAVEPOINT reservation_round", logger: logger)
            var complete = true
            for take in plan.takes.sorted(by: { $0.lot.uuidString < $1.lot.uuidString }) where complete {
                complete = try await ledger.tryApply(
                    StockMovement(lot: take.lot, kind: .reservation, quantity: take.quantity), context, reservationLine: reservation.id)
            }
            if complete {
                try await connection.query("RELEASE SAVEPOINT reservation_round", logger: logger)
                return reservation
            }
            try await connection.query("ROLLBACK TO SAVEPOINT reservation_round", logger: logger)
        }
        throw ProblemDetails(status: .serviceUnavailable, detail: "This item is in heavy demand right now; resend the reservation.")
    }

    /// The refusal of a reservation for a work order that was cancelled or merged.
    static let workOrderEnded = Refusal(
        "This work order was cancelled or merged; nothing is reserved for it any more.", title: "Work order ended")

    /// The refusal of `quantity` when `lots` (at one depot) do not hold it, saying what they do hold.
    static func notEnough(in lots: [LotPlan.Lot], quantity: Int, now: Date) -> Refusal {
        let available = lots.filter { $0.expiresAt.map { $0 > now } ?? true }.reduce(0) { $0 + $1.available }
        return Refusal(
            "Only \(available) available at this depot; \(quantity) asked. Reserve less, or from another depot.", title: "Not enough stock")
    }

    /// What a reservation's ledger movements say about it.
    static func context(of reservation: Reservation, actor: String) -> StockLedger.Context {
        StockLedger.Context(
            reason: reservation.request.map { "work order \($0.lowercasedString)" } ?? "reservation", actor: actor,
            reservation: reservation.id)
    }

    /// Withdraws a held reservation of the caller's area by hand (404 when there is none).
    /// Refused while it is out for delivery — the stop is recorded instead — or once ended.
    func release(_ id: UUID, reason: String, by access: AccessToken) async throws -> Reservation {
        guard var reservation = try await lock(id) else { throw NotFound("reservation") }
        _ = try await DepotAccess(connection: connection, logger: logger).require(reservation.depot, access)
        guard try await !isOnPendingStop(id) else {
            throw Refusal(
                "This reservation is on a delivery run; record the stop (delivered or failed) instead.", title: "Out for delivery"
            )
        }
        let released = try await end(
            reservation, as: .released, reason: "released: \(reason)", actor: access.subject, topic: SuppliesEvents.reservationReleased
        )
        guard released else { throw Refusal("This reservation is already \(reservation.status.rawValue).") }
        reservation.status = .released
        return reservation
    }

    /// The reservation, when it is held at a depot of the caller's area.
    func read(_ id: UUID, visibleTo access: AccessToken) async throws -> Reservation? {
        guard
            let reservation = try await connection.query(
                "SELECT id, request_id, depot_id, item_id, quantity, status FROM reservations WHERE id = \(id)", logger: logger
            ).decode((UUID, UUID?, UUID, UUID, Int, String).self).collectAll().first.map(Self.reservation)
        else { return nil }
        _ = try await DepotAccess(connection: connection, logger: logger).require(reservation.depot, access)
        return reservation
    }

    private static func reservation(_ row: (UUID, UUID?, UUID, UUID, Int, String)) -> Reservation {
        Reservation(
            id: row.0, request: row.1, depot: row.2, item: row.3, quantity: row.4, status: Reservation.Status(rawValue: row.5) ?? .held
        )
    }

    /// The reservation, locked for a change.
    func lock(_ id: UUID) async throws -> Reservation? {
        try await connection.query(
            "SELECT id, request_id, depot_id, item_id, quantity, status FROM reservations WHERE id = \(id) FOR UPDATE", logger: logger
        ).decode((UUID, UUID?, UUID, UUID, Int, String).self).collectAll().first.map(Self.reservation)
    }

    /// Held reservations of a work order, locked in id order (the order delivery runs lock them in).
    func lockHeld(forRequest request: UUID) async throws -> [Reservation] {
        let ids = try await connection.query(
            "SELECT id FROM reservations WHERE request_id = \(request) AND status = 'held' ORDER BY id", logger: logger
        ).decode(UUID.self).collectAll()
        var held: [Reservation] = []
        for id in ids { if let reservation = try await lock(id), reservation.status == .held { held.append(reservation) } }
        return held
    }

    /// Ends a held reservation: `released` puts its stock back, `issued` takes it out of the
    /// depot. Returns `false` (and changes nothing) when it had already ended.
    @discardableResult
    func end(
        _ reservation: Reservation, as status: Reservation.Status, reason: String, actor: String, topic: Topic,
        extra: [String: JSONValue] = [:]
    ) async throws -> Bool {
        guard reservation.canEnd(as: status) else { return false }
        let kind: StockMovement.Kind = status == .issued ? .issue : .release
        let lines = try await connection.query(
            "SELECT lot_id, quantity FROM reservation_lines WHERE reservation_id = \(reservation.id) ORDER BY lot_id", logger: logger
        ).decode((UUID, Int).self).collectAll()
        for (lot, quantity) in lines {
            try await ledger.apply(
                StockMovement(lot: lot, kind: kind, quantity: quantity), .init(reason: reason, actor: actor, reservation: reservation.id))
        }
        try await connection.query(
            "UPDATE reservations SET status = \(status.rawValue), updated_at = now() WHERE id = \(reservation.id)", logger: logger
        )
        var ended = reservation
        ended.status = status
        try await Outbox.append(
            SuppliesEvents.reservation(topic, ended, area: try await area(of: reservation.depot), extra: extra), on: connection,
            logger: logger)
        return true
    }

    /// Whether the reservation is out on a delivery run whose stop is not recorded yet.
    func isOnPendingStop(_ reservation: UUID) async throws -> Bool {
        try await connection.query(
            "SELECT 1 FROM delivery_stops WHERE reservation_id = \(reservation) AND status = 'pending'", logger: logger
        ).collect().count > 0
    }

    /// Takes the reservation off its run: the work order it served ended.
    func cancelPendingStop(of reservation: UUID, reason: String) async throws {
        try await connection.query(
            "UPDATE delivery_stops SET status = 'cancelled', failure = \(reason), updated_at = now() WHERE reservation_id = \(reservation) AND status = 'pending'",
            logger: logger
        )
    }

    func area(of depot: UUID) async throws -> String {
        try await connection.query("SELECT area FROM depots WHERE id = \(depot)", logger: logger).decode(String.self).collectAll().first
            ?? ""
    }
}
