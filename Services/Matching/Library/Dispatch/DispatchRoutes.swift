import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// The volunteer's answer to an offer, relayed by the dispatcher or station (`/v1/dispatches/{requestId}/…`),
/// and the dispatcher's board: "is every request being served, and who is on it?".
struct DispatchRoutes {
    let dependencies: ServiceDependencies

    struct AnswerInput: Decodable {
        var volunteerId: UUID?
        var hours: Double?
    }

    enum Action: String { case accept, decline, complete }

    struct BoardRow: Codable {
        var requestId: UUID
        var compound: String
        var category: String
        var urgency: String
        var status: String
        var holder: UUID?
        var offerExpiresAt: Date?
        var ageMinutes: Int
        var minutesSinceLastMovement: Int
    }

    func add(to router: Router<ServiceRequestContext>) {
        for action in [Action.accept, .decline, .complete] {
            router.post("/v1/dispatches/{id}/\(action.rawValue)") { request, context in try await answer(action, request, context) }
        }
        router.get("/v1/dispatch-board") { request, _ in try await board(request) }
    }

    private func answer(_ action: Action, _ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.volunteer, .dispatcher, .staff, .operator])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such dispatch.") }
        let (input, raw) = try await request.readJSON(as: AnswerInput.self, context: context)
        var validator = FieldValidator()
        // A volunteer answers for themself; a dispatcher relays a volunteer's answer by phone.
        let own = access.role == .volunteer ? UUID(uuidString: access.subject) : nil
        if access.role == .volunteer && (own == nil || (input.volunteerId != nil && input.volunteerId != own)) {
            throw ProblemDetails(status: .forbidden, detail: "A volunteer answers only their own offers.")
        }
        let volunteer = validator.required(own ?? input.volunteerId, "volunteerId")
        if action == .complete && input.hours == nil { validator.fail("hours", "the hours worked are recorded on completion") }
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = DispatchStore(connection: connection, logger: dependencies.logger)
            guard let locked = try await store.lock(id), let area = AreaCode(locked.compound) else {
                throw ProblemDetails(status: .notFound, detail: "No such dispatch.")
            }
            var chain = locked.chain
            let compound = locked.compound
            if access.role != .volunteer { try Scope.requireVisible(access, area, what: "dispatch") }
            let now = try await connection.query("SELECT now()", logger: dependencies.logger).decode(Date.self).collectAll().first ?? Date()
            if action == .accept, let reason = try await store.offDutyReason(volunteer!) {
                throw ProblemDetails(status: .conflict, title: "Not on duty", detail: "The offer cannot be accepted: \(reason).")
            }
            let effect: OfferChain.Effect
            do throws(OfferChain.Refusal) {
                switch action {
                case .accept: effect = try chain.accept(by: volunteer!, now: now)
                case .decline: effect = try chain.decline(by: volunteer!, now: now)
                case .complete: effect = try chain.complete(by: volunteer!, hours: input.hours ?? 0)
                }
            } catch let refusal {
                throw ProblemDetails(status: .conflict, title: "Not possible now", detail: refusal.description)
            }
            try await store.save(chain, request: id, compound: compound, effect: effect)
            if case .completed(let who, let hours) = effect {
                try await ServiceHours(connection: connection, logger: dependencies.logger).record(volunteer: who, source: "task", sourceID: id, hours: hours, actor: access.subject)
            }
            struct Answer: Codable { var requestId: UUID; var status: String; var holder: UUID? }
            return try StoredResponse(json: Answer(requestId: id, status: chain.status.rawValue, holder: chain.holder))
        }
    }

    private func board(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.dispatcher, .staff, .operator])
        var rows: [BoardRow] = []
        for try await row in try await dependencies.client.query(
            """
            SELECT request_id, compound, category, urgency, status, holder, offer_expires_at,
                   (extract(epoch FROM now() - created_at) / 60)::int, (extract(epoch FROM now() - moved_at) / 60)::int
            FROM dispatches WHERE compound LIKE \(access.areaPattern) AND status IN ('offering', 'assigned', 'unassigned')
            ORDER BY created_at LIMIT 500
            """,
            logger: dependencies.logger
        ).decode((UUID, String, String, String, String, UUID?, Date?, Int, Int).self) {
            rows.append(BoardRow(
                requestId: row.0, compound: row.1, category: row.2, urgency: row.3, status: row.4, holder: row.5, offerExpiresAt: row.6,
                ageMinutes: row.7, minutesSinceLastMovement: row.8
            ))
        }
        return try JSONResponse.make(rows)
    }
}
