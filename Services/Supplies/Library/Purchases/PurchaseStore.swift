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
        var paidBy: Payer?
        var reimbursedTo: Payer?
        var history: JSONValue
    }

    /// A purchase as a list shows it: no description (it may name the resident's medicine)
    /// and no history; read the purchase for those.
    struct Summary: Codable {
        var cursor: Int64
        var id: UUID
        var requestId: UUID?
        var area: String
        var status: String
        var quotedFen: Int?
        var paidFen: Int?
        var paidBy: Payer?
        var reimbursedTo: Payer?
        var updatedAt: Date
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
            let (status, quoted, paid, areaText, request, payerKind, payerID) = try await connection.query(
                """
                SELECT status, quoted_fen, paid_fen, area, request_id, paid_by_kind, paid_by_id FROM purchase_tasks WHERE id = \(id) FOR UPDATE
                """,
                logger: logger
            ).decode((String, Int?, Int?, String, UUID?, String?, UUID?).self).collectAll().first, let area = AreaCode(areaText)
        else {
            throw NotFound("purchase")
        }
        try Scope.requireVisible(access, area, what: "purchase")
        if let party = step.party, let field = step.action.partyField { try await requireKnown(party, field: field) }
        var purchase = ErrandPurchase(
            status: ErrandPurchase.Status(rawValue: status) ?? .open, quotedFen: quoted, paidFen: paid,
            paidBy: payerKind.flatMap(Payer.Kind.init(rawValue:)).map { Payer(kind: $0, id: payerID) })
        try purchase.apply(step.action, amountFen: step.amountFen, party: step.party)
        var recorded: [String: JSONValue] = [
            "amountFen": step.amountFen.map { .number(Double($0)) } ?? .null, "note": step.note.map(JSONValue.string) ?? .null,
        ]
        let party = purchase.party(of: step.action)
        if let party {
            recorded[party.field] = .object(
                ["kind": .string(party.payer.kind.rawValue), "id": party.payer.id.map(SuppliesEvents.id) ?? .null])
        }
        let entry = Self.step(action: step.action.rawValue, status: purchase.status, actor: access.subject, recorded)
        try await connection.query(
            """
            UPDATE purchase_tasks
               SET status = \(purchase.status.rawValue), quoted_fen = \(purchase.quotedFen), paid_fen = \(purchase.paidFen),
                   paid_by_kind = \(purchase.paidBy?.kind.rawValue), paid_by_id = \(purchase.paidBy?.id),
                   reimbursed_to_kind = \(purchase.reimbursedTo?.kind.rawValue), reimbursed_to_id = \(purchase.reimbursedTo?.id),
                   history = history || jsonb_build_array(\(entry.canonicalText)::jsonb), updated_at = now()
            WHERE id = \(id)
            """,
            logger: logger
        )
        let amount = step.action == .quote ? purchase.quotedFen : step.action == .purchase ? purchase.paidFen : nil
        try await Outbox.append(
            SuppliesEvents.purchase(id, request: request, area: areaText, status: purchase.status, amountFen: amount, party: party),
            on: connection, logger: logger
        )
        guard let answer = try await read(id) else { throw NotFound("purchase") }
        return answer
    }

    /// A volunteer or an organization named as a payer must exist (intake's tables); 422 on
    /// `field`.id otherwise. The resident needs no id.
    private func requireKnown(_ party: Payer, field: String) async throws {
        guard let id = party.id else { return }
        let query: PostgresQuery =
            party.kind == .volunteer
            ? "SELECT 1 FROM volunteers WHERE id = \(id)" : "SELECT 1 FROM organizations WHERE id = \(id)"
        guard try await !connection.query(query, logger: logger).collect().isEmpty else {
            throw InvalidFields(field + ".id", "no such \(party.kind.rawValue)")
        }
    }

    /// The purchases of `list`'s area (by status, when it filters), oldest first after its
    /// cursor; only those of work order `request`, when one is given.
    func list(_ list: ListQuery, request: UUID?) async throws -> [Summary] {
        try await connection.query(
            """
            SELECT seq, id, request_id, area, status, quoted_fen, paid_fen, paid_by_kind, paid_by_id, reimbursed_to_kind,
                   reimbursed_to_id, updated_at
            FROM purchase_tasks
            WHERE area LIKE \(list.areaPattern) AND seq > \(list.after) AND (\(list.status ?? "") = '' OR status = \(list.status ?? ""))
              AND (\(request)::uuid IS NULL OR request_id = \(request))
            ORDER BY seq LIMIT \(list.limit)
            """,
            logger: logger
        ).decode((Int64, UUID, UUID?, String, String, Int?, Int?, String?, UUID?, String?, UUID?, Date).self).collectAll().map { row in
            Summary(
                cursor: row.0, id: row.1, requestId: row.2, area: row.3, status: row.4, quotedFen: row.5, paidFen: row.6,
                paidBy: Self.payer(row.7, row.8), reimbursedTo: Self.payer(row.9, row.10), updatedAt: row.11
            )
        }
    }

    private static func payer(_ kind: String?, _ id: UUID?) -> Payer? {
        kind.flatMap(Payer.Kind.init(rawValue:)).map { Payer(kind: $0, id: id) }
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
            SELECT id, request_id, area, description, status, quoted_fen, paid_fen, history::text,
                   paid_by_kind, paid_by_id, reimbursed_to_kind, reimbursed_to_id
            FROM purchase_tasks WHERE id = \(id)
            """,
            logger: logger
        ).decode((UUID, UUID?, String, String, String, Int?, Int?, String, String?, UUID?, String?, UUID?).self).collectAll().first.map {
            row in
            Purchase(
                id: row.0, requestId: row.1, area: row.2, description: row.3, status: row.4, quotedFen: row.5, paidFen: row.6,
                paidBy: Self.payer(row.8, row.9), reimbursedTo: Self.payer(row.10, row.11),
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
