import EventBus
import Foundation
import Hummingbird
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// Errand purchases (`/v1/purchases`): quote, the resident's confirmation, purchase with the
/// amount paid, delivery, reimbursement — each step kept in the task's history.
struct PurchaseRoutes {
    let dependencies: ServiceDependencies

    struct CreateInput: Decodable {
        var requestId: UUID?
        var area: String?
        var description: String?
    }

    struct ActionInput: Decodable {
        var action: String?
        var amountFen: Int?
        var note: String?
    }

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

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/purchases") { request, context in try await create(request, context) }
        router.post("/v1/purchases/{id}/actions") { request, context in try await act(request, context) }
        router.get("/v1/purchases/{id}") { request, context in try await show(request, context) }
    }

    private func create(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let (input, raw) = try await request.readJSON(as: CreateInput.self, context: context)
        var validator = FieldValidator()
        let area = validator.area(input.area, "area")
        let description = validator.text(input.description, "description", maxLength: 500)
        try validator.check()
        try Scope.require(access, covers: area!)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            if let workOrder = input.requestId {
                try await PurchaseStore(connection: connection, logger: dependencies.logger).requireWorkOrder(workOrder, under: area!, visibleTo: access)
            }
            let id = try await PurchaseStore(connection: connection, logger: dependencies.logger)
                .open(request: input.requestId, area: area!, description: description!, actor: access.subject)
            guard let purchase = try await PurchaseStore(connection: connection, logger: dependencies.logger).read(id) else {
                throw ProblemDetails(status: .notFound, detail: "No such purchase.")
            }
            return try StoredResponse(status: .created, json: purchase)
        }
    }

    private func act(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such purchase.") }
        let (input, raw) = try await request.readJSON(as: ActionInput.self, context: context)
        var validator = FieldValidator()
        let action: ErrandPurchase.Action? = validator.oneOf(input.action, "action")
        let note = validator.text(input.note, "note", maxLength: 500, optional: true)
        let amount = validator.range(input.amountFen, "amountFen", 1...10_000_000, optional: true)
        if action == .quote || action == .purchase, input.amountFen == nil { validator.fail("amountFen", "is required to \(action!.rawValue)") }
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let logger = dependencies.logger
            guard let (status, quoted, paid, areaText, requestID) = try await connection.query(
                "SELECT status, quoted_fen, paid_fen, area, request_id FROM purchase_tasks WHERE id = \(id) FOR UPDATE", logger: logger
            ).decode((String, Int?, Int?, String, UUID?).self).collectAll().first, let area = AreaCode(areaText) else {
                throw ProblemDetails(status: .notFound, detail: "No such purchase.")
            }
            try Scope.requireVisible(access, area, what: "purchase")
            var purchase = ErrandPurchase(status: ErrandPurchase.Status(rawValue: status) ?? .open, quotedFen: quoted, paidFen: paid)
            do throws(ErrandPurchase.Refusal) {
                try purchase.apply(action!, amountFen: amount)
            } catch let refusal {
                throw ProblemDetails(status: .conflict, title: "Not possible now", detail: refusal.description)
            }
            let step: JSONValue = .object([
                "action": .string(action!.rawValue), "status": .string(purchase.status.rawValue), "actor": .string(access.subject),
                "at": .string(Timestamp.format(Date())), "amountFen": (action == .quote || action == .purchase ? amount : nil).map { .number(Double($0)) } ?? .null,
                "note": note.map(JSONValue.string) ?? .null,
            ])
            try await connection.query(
                """
                UPDATE purchase_tasks SET status = \(purchase.status.rawValue), quoted_fen = \(purchase.quotedFen), paid_fen = \(purchase.paidFen),
                       history = history || jsonb_build_array(\(step.canonicalText)::jsonb), updated_at = now()
                WHERE id = \(id)
                """,
                logger: logger
            )
            try await Outbox.append(
                SuppliesEvents.purchase(
                    try Topic("supplies.purchase.\(purchase.status.rawValue)"), id, request: requestID, area: areaText, status: purchase.status,
                    amountFen: action == .quote ? purchase.quotedFen : action == .purchase ? purchase.paidFen : nil
                ),
                on: connection, logger: logger
            )
            guard let answer = try await PurchaseStore(connection: connection, logger: logger).read(id) else { throw ProblemDetails(status: .notFound, detail: "No such purchase.") }
            return try StoredResponse(json: answer)
        }
    }

    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        guard let id = context.parameters.get("id", as: UUID.self),
            let purchase = try await dependencies.client.withConnection({ connection in
                try await PurchaseStore(connection: connection, logger: dependencies.logger).read(id)
            }), let area = AreaCode(purchase.area)
        else { throw ProblemDetails(status: .notFound, detail: "No such purchase.") }
        try Scope.requireVisible(access, area, what: "purchase")
        return try JSONResponse.make(purchase)
    }
}

/// The SQL of errand purchases, shared by the routes and the work-order consumer.
struct PurchaseStore {
    let connection: PostgresConnection
    let logger: Logger

    func open(request: UUID?, area: AreaCode, description: String, actor: String) async throws -> UUID {
        let id = UUID()
        let step: JSONValue = .object(["action": .string("open"), "status": .string("open"), "actor": .string(actor), "at": .string(Timestamp.format(Date()))])
        try await connection.query(
            """
            INSERT INTO purchase_tasks (id, request_id, area, description, history)
            VALUES (\(id), \(request), \(area.rawValue), \(description), jsonb_build_array(\(step.canonicalText)::jsonb))
            """,
            logger: logger
        )
        try await Outbox.append(SuppliesEvents.purchase("supplies.purchase.opened", id, request: request, area: area.rawValue, status: .open), on: connection, logger: logger)
        return id
    }

    /// Checks a caller's reference to a work order (intake's request): it must lie in the
    /// caller's area — 422 on `requestId`, the same answer as for a work order that does not
    /// exist, so another street's work orders cannot be probed — and within the purchase's
    /// `area`, so the station that serves the work order sees its purchase (422 on `area`).
    func requireWorkOrder(_ request: UUID, under area: AreaCode, visibleTo access: AccessToken) async throws {
        let compound = try await connection.query("SELECT compound FROM requests WHERE id = \(request)", logger: logger)
            .decode(String.self).collectAll().first.flatMap(AreaCode.init)
        guard let compound, access.covers(compound) else {
            throw ProblemDetails.validation([.init(field: "requestId", message: "no such work order in your area")])
        }
        guard area.contains(compound) else {
            throw ProblemDetails.validation([
                .init(field: "area", message: "must hold the work order's compound \(compound.rawValue), so the station serving it sees the purchase")
            ])
        }
    }

    /// Cancels the request's purchases that no money was spent on yet.
    func cancelOpen(forRequest request: UUID, reason: String) async throws {
        let step: JSONValue = .object(["action": .string("cancel"), "status": .string("cancelled"), "actor": .string("supplies"), "at": .string(Timestamp.format(Date())), "note": .string(reason)])
        let cancelled = try await connection.query(
            """
            UPDATE purchase_tasks SET status = 'cancelled', history = history || jsonb_build_array(\(step.canonicalText)::jsonb), updated_at = now()
            WHERE request_id = \(request) AND status IN ('open', 'quoted', 'confirmed') RETURNING id, area
            """,
            logger: logger
        ).decode((UUID, String).self).collectAll()
        try await Outbox.append(
            cancelled.map { SuppliesEvents.purchase("supplies.purchase.cancelled", $0.0, request: request, area: $0.1, status: .cancelled) }, on: connection, logger: logger
        )
    }

    func read(_ id: UUID) async throws -> PurchaseRoutes.Purchase? {
        try await connection.query(
            "SELECT id, request_id, area, description, status, quoted_fen, paid_fen, history::text FROM purchase_tasks WHERE id = \(id)", logger: logger
        ).decode((UUID, UUID?, String, String, String, Int?, Int?, String).self).collectAll().first.map { row in
            PurchaseRoutes.Purchase(
                id: row.0, requestId: row.1, area: row.2, description: row.3, status: row.4, quotedFen: row.5, paidFen: row.6,
                history: (try? JSONParser.parse(Array(row.7.utf8))) ?? .array([])
            )
        }
    }
}
