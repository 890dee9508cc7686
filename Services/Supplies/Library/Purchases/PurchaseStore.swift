import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of errand purchases, shared by the routes and the work-order consumer: every
/// step is kept in the task's history and announced, in the caller's transaction.
struct PurchaseStore {
    let connection: PostgresConnection
    let logger: Logger

    struct Purchase: Codable {
        var id: UUID
        var requestId: UUID?
        var area: String
        var description: String
        var status: String
        var quotedFen: Int?
        var paidFen: Int?
        var history: JSONValue
    }

    /// Opens `purchase` for the caller, checking the work order it names (see
    /// ``requireWorkOrder(_:under:visibleTo:)``).
    func open(_ purchase: NewPurchase, by access: AccessToken) async throws -> Purchase {
        if let workOrder = purchase.request { try await requireWorkOrder(workOrder, under: purchase.area, visibleTo: access) }
        let id = try await open(request: purchase.request, area: purchase.area, description: purchase.description, actor: access.subject)
        guard let opened = try await read(id) else { throw NotFound("purchase") }
        return opened
    }

    func open(request: UUID?, area: AreaCode, description: String, actor: String) async throws -> UUID {
        let id = UUID()
        let step = Self.step(action: "open", status: .open, actor: actor)
        try await connection.query(
            """
            INSERT INTO purchase_tasks (id, request_id, area, description, history)
            VALUES (\(id), \(request), \(area.rawValue), \(description), jsonb_build_array(\(step.canonicalText)::jsonb))
            """,
            logger: logger
        )
        try await Outbox.append(
            SuppliesEvents.purchase(id, request: request, area: area.rawValue, status: .open), on: connection, logger: logger
        )
        return id
    }

    /// Moves a purchase of the caller's area on by one step (404 when there is none; a
    /// ``Refusal`` when the step does not follow), keeping it in the history.
    ///
    /// Concurrency: the task's row is locked first, so two steps sent at once apply one
    /// after the other, the second to the state the first left.
    func apply(_ step: PurchaseStep, to id: UUID, by access: AccessToken) async throws -> Purchase {
        guard
            let (status, quoted, paid, areaText, request) = try await connection.query(
                "SELECT status, quoted_fen, paid_fen, area, request_id FROM purchase_tasks WHERE id = \(id) FOR UPDATE", logger: logger
            ).decode((String, Int?, Int?, String, UUID?).self).collectAll().first, let area = AreaCode(areaText)
        else {
            throw NotFound("purchase")
        }
        try Scope.requireVisible(access, area, what: "purchase")
        var purchase = ErrandPurchase(status: ErrandPurchase.Status(rawValue: status) ?? .open, quotedFen: quoted, paidFen: paid)
        try purchase.apply(step.action, amountFen: step.amountFen)
        let entry = Self.step(
            action: step.action.rawValue, status: purchase.status, actor: access.subject,
            [
                "amountFen": step.amountFen.map { .number(Double($0)) } ?? .null, "note": step.note.map(JSONValue.string) ?? .null,
            ])
        try await connection.query(
            """
            UPDATE purchase_tasks
               SET status = \(purchase.status.rawValue), quoted_fen = \(purchase.quotedFen), paid_fen = \(purchase.paidFen),
                   history = history || jsonb_build_array(\(entry.canonicalText)::jsonb), updated_at = now()
            WHERE id = \(id)
            """,
            logger: logger
        )
        let amount = step.action == .quote ? purchase.quotedFen : step.action == .purchase ? purchase.paidFen : nil
        try await Outbox.append(
            SuppliesEvents.purchase(id, request: request, area: areaText, status: purchase.status, amountFen: amount),
            on: connection, logger: logger
        )
        guard let answer = try await read(id) else { throw NotFound("purchase") }
        return answer
    }

    /// Checks a caller's reference to a work order (intake's request): it must lie in the
    /// caller's area — 422 on `requestId`, the same answer as for a work order that does not
    /// exist, so another street's work orders cannot be probed — and within the purchase's
    /// `area`, so the station that serves the work order sees its purchase (422 on `area`).
    func requireWorkOrder(_ request: UUID, under area: AreaCode, visibleTo access: AccessToken) async throws {
        let compound = try await connection.query("SELECT compound FROM requests WHERE id = \(request)", logger: logger)
            .decode(String.self).collectAll().first.flatMap(AreaCode.init)
        guard let compound, access.covers(compound) else {
            throw InvalidFields("requestId", "no such work order in your area")
        }
        guard area.contains(compound) else {
            throw InvalidFields([
                .init(
                    field: "area",
                    message: "must hold the work order's compound \(compound.rawValue), so the station serving it sees the purchase"
                )
            ])
        }
    }

    /// Whether the work order already has a purchase (a redelivered `created` opens none).
    func exists(forRequest request: UUID) async throws -> Bool {
        try await !connection.query("SELECT 1 FROM purchase_tasks WHERE request_id = \(request)", logger: logger).collect().isEmpty
    }

    /// Cancels the request's purchases that no money was spent on yet.
    func cancelOpen(forRequest request: UUID, reason: String) async throws {
        let step = Self.step(action: "cancel", status: .cancelled, actor: "supplies", ["note": .string(reason)])
        let cancelled = try await connection.query(
            """
            UPDATE purchase_tasks
               SET status = 'cancelled', history = history || jsonb_build_array(\(step.canonicalText)::jsonb), updated_at = now()
            WHERE request_id = \(request) AND status IN ('open', 'quoted', 'confirmed') RETURNING id, area
            """,
            logger: logger
        ).decode((UUID, String).self).collectAll()
        try await Outbox.append(
            cancelled.map { SuppliesEvents.purchase($0.0, request: request, area: $0.1, status: .cancelled) },
            on: connection, logger: logger
        )
    }

    func read(_ id: UUID) async throws -> Purchase? {
        try await connection.query(
            """
            SELECT id, request_id, area, description, status, quoted_fen, paid_fen, history::text FROM purchase_tasks WHERE id = \(id)
            """,
            logger: logger
        ).decode((UUID, UUID?, String, String, String, Int?, Int?, String).self).collectAll().first.map { row in
            Purchase(
                id: row.0, requestId: row.1, area: row.2, description: row.3, status: row.4, quotedFen: row.5, paidFen: row.6,
                history: (try? JSONParser.parse(Array(row.7.utf8))) ?? .array([])
            )
        }
    }

    /// One entry of a task's history: what was done, the status it led to, by whom and when.
    private static func step(
        action: String, status: ErrandPurchase.Status, actor: String, _ extra: [String: JSONValue] = [:]
    ) -> JSONValue {
        var entry: [String: JSONValue] = [
            "action": .string(action), "status": .string(status.rawValue), "actor": .string(actor), "at": .string(Timestamp.format(Date())),
        ]
        entry.merge(extra) { $1 }
        return .object(entry)
    }
}
