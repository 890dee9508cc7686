import Foundation
import Hummingbird
import Models
import ServiceKit

/// Needs found on calls and visits (`/v1/residents/{id}/needs`, `/v1/needs/{id}`): each is
/// announced as `outreach.need.identified`, and intake turns it into a request. The request
/// intake shows withholds the resident's contact; whoever acts on it reads the contact here
/// (`/v1/needs/{id}/contact`), with a reason, logged like any read of the registry.
struct NeedRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/residents/{id}/needs") { request, context in try await identify(request, context) }
        router.get("/v1/needs/{id}") { request, context in try await show(request, context) }
        router.get("/v1/needs/{id}/contact") { request, context in try await contact(request, context) }
    }

    private func identify(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        let resident = try context.requireUUID("id", what: "resident")
        let (form, raw) = try await request.readJSON(as: NeedForm.self, context: context)
        let need = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            guard let (compound, _) = try await ResidentStore(connection: connection, logger: dependencies.logger).active(resident) else {
                throw ProblemDetails(status: .notFound, detail: "No such resident.")
            }
            try Scope.requireVisible(access, compound, what: "resident")
            let id = try await NeedStore(connection: connection, logger: dependencies.logger)
                .identify(need, resident: resident, compound: compound, foundBy: access.subject)
            struct Identified: Codable {
                var id: UUID
                var status: String
            }
            return try StoredResponse(status: .created, json: Identified(id: id, status: NeedStatus.identified.rawValue))
        }
    }

    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        let id = try context.requireUUID("id", what: "need")
        guard let (need, compound) = try await NeedQueries(client: dependencies.client, logger: dependencies.logger).need(id) else {
            throw ProblemDetails(status: .notFound, detail: "No such need.")
        }
        try Scope.requireVisible(access, compound, what: "need")
        return try JSONResponse.make(need)
    }

    /// The resident's contact for a need, for staff, callers and the dispatchers who act on
    /// the request intake filed for it: only with a stated reason (`?reason=`, 422 without),
    /// only within the caller's area (404 outside it), and logged in the registry's read log
    /// in the same transaction, so there is no read without its log line.
    private func contact(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller, .dispatcher])
        let id = try context.requireUUID("id", what: "need")
        let reason = try ReadReason(request).text
        let contact = try await dependencies.client.transaction(logger: dependencies.logger) { connection -> NeedContact in
            guard let (contact, area) = try await NeedStore(connection: connection, logger: dependencies.logger).contact(for: id) else {
                throw ProblemDetails(status: .notFound, detail: "No such need.")
            }
            try Scope.requireVisible(access, area, what: "need")
            try await RegistryReads(connection: connection, logger: dependencies.logger)
                .log(resident: contact.residentId, by: access, reason: reason + " (contact for need " + id.lowercasedString + ")")
            return contact
        }
        return try JSONResponse.make(contact)
    }
}
