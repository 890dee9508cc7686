import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit

/// Follow-ups and home visits: each caller's due list (`GET /v1/followups/due`), a
/// follow-up call recorded (`POST /v1/residents/{id}/followups`), a home visit with its
/// needs assessment (`POST /v1/residents/{id}/visits`).
struct FollowUpRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/followups/due") { request, _ in try await due(request) }
        router.post("/v1/residents/{id}/followups") { request, context in try await followUp(request, context) }
        router.post("/v1/residents/{id}/visits") { request, context in try await visit(request, context) }
    }

    private func due(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        return try JSONResponse.make(try await FollowUpQueries(client: dependencies.client, logger: dependencies.logger).due(for: access))
    }

    /// The active resident the write concerns, within the caller's area (404 otherwise).
    private func resident(_ id: UUID, _ access: AccessToken, on connection: PostgresConnection) async throws -> (AreaCode, CareLevel) {
        guard let (area, level) = try await ResidentStore(connection: connection, logger: dependencies.logger).active(id) else {
            throw ProblemDetails(status: .notFound, detail: "No such resident.")
        }
        try Scope.requireVisible(access, area, what: "resident")
        return (area, level)
    }

    private func followUp(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        let id = try context.requireUUID("id", what: "resident")
        let (form, raw) = try await request.readJSON(as: FollowUpForm.self, context: context)
        let call = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let (area, level) = try await resident(id, access, on: connection)
            try await FollowUpStore(connection: connection, logger: dependencies.logger).recordCall(
                resident: id, contact: nil, caller: access.subject, kind: "follow-up", outcome: call.outcome.rawValue, note: call.note,
                area: area, careLevel: level
            )
            struct Recorded: Codable {
                var residentId: UUID
                var outcome: String
            }
            return try StoredResponse(status: .created, json: Recorded(residentId: id, outcome: call.outcome.rawValue))
        }
    }

    private func visit(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        let id = try context.requireUUID("id", what: "resident")
        let (form, raw) = try await request.readJSON(as: VisitForm.self, context: context)
        let visit = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let (area, level) = try await resident(id, access, on: connection)
            let recorded = try await FollowUpStore(connection: connection, logger: dependencies.logger)
                .recordVisit(visit, resident: id, by: access.subject, area: area, careLevel: level)
            return try StoredResponse(status: .created, json: recorded)
        }
    }
}
