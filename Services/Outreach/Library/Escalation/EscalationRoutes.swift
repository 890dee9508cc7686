import Foundation
import Hummingbird
import Models
import ServiceKit

/// `POST /v1/residents/{id}/escalations` and `GET /v1/escalations/{id}` (with the case history,
/// read only with a reason and logged like any read of the registry).
struct EscalationRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/residents/{id}/escalations") { request, context in try await escalate(request, context) }
        router.get("/v1/escalations/{id}") { request, context in try await show(request, context) }
    }

    private func escalate(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        let resident = try context.requireUUID("id", what: "resident")
        let (form, raw) = try await request.readJSON(as: EscalationForm.self, context: context)
        let escalation = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let registry = ResidentStore(connection: connection, logger: dependencies.logger)
            guard let area = try await registry.compound(of: resident) else {
                throw ProblemDetails(status: .notFound, detail: "No such resident.")
            }
            try Scope.requireVisible(access, area, what: "resident")
            let id = try await EscalationStore(connection: connection, logger: dependencies.logger)
                .escalate(resident: resident, to: escalation.target, reason: escalation.reason, by: access.subject, area: area)
            struct Created: Codable { var id: UUID }
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    /// The case history is the resident's record: read with a reason (422 without), logged.
    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let reason = try ReadReason(request).text
        let id = try context.requireUUID("id", what: "escalation")
        let escalation = try await dependencies.client.transaction(logger: dependencies.logger) { connection in
            guard let (escalation, area) = try await EscalationStore(connection: connection, logger: dependencies.logger).find(id) else {
                throw ProblemDetails(status: .notFound, detail: "No such escalation.")
            }
            try Scope.requireVisible(access, area, what: "escalation")
            try await RegistryReads(connection: connection, logger: dependencies.logger)
                .log(resident: escalation.residentId, by: access, reason: reason)
            return escalation
        }
        return try JSONResponse.make(escalation)
    }
}
