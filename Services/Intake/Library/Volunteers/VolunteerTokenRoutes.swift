import Foundation
import Hummingbird
import Models
import ServiceKit
import Store
import Synchronization

/// A volunteer's phone token, issued by station staff or an operator at vetting and taken
/// back there (`/v1/volunteers/{id}/tokens`). The token is answered once and stored nowhere:
/// a lost one is revoked and a new one issued.
struct VolunteerTokenRoutes {
    let dependencies: ServiceDependencies

    struct Issued: Codable {
        var volunteerId: UUID
        var token: String
        var issuedAt: Date
        var expiresAt: Date
    }

    struct Revoked: Codable {
        var volunteerId: UUID
        var revokedBefore: Date
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/volunteers/{id}/tokens") { request, context in try await issue(request, context) }
        router.delete("/v1/volunteers/{id}/tokens") { request, context in try await revoke(request, context) }
    }

    /// Not an idempotent write: the answer holds a bearer token, which must not be kept in the
    /// idempotency table. A retry issues another token; both work until revoked or expired.
    private func issue(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "volunteer")
        // The body is optional: no body at all asks for the default length.
        let bodiless = request.headers[.transferEncoding] == nil && (request.headers[.contentLength] ?? "0") == "0"
        let form = bodiless ? VolunteerTokenForm() : try await request.readJSON(as: VolunteerTokenForm.self, context: context).value
        let days = try form.validated()
        let issued = try await dependencies.client.transaction(logger: dependencies.logger) { connection in
            let store = VolunteerTokenStore(connection: connection, logger: dependencies.logger)
            let volunteer = try await store.lockVisible(id, to: access)
            return try await store.issue(
                to: id, community: volunteer.community, status: volunteer.vetting.status, days: days, actor: access.subject)
        }
        let token = try dependencies.tokens.issue(issued)
        var response = try StoredResponse(
            status: .created,
            json: Issued(volunteerId: id, token: token, issuedAt: issued.issuedAt ?? Date(), expiresAt: issued.expiresAt)
        ).response
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func revoke(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "volunteer")
        // Noted once the revocation committed: a rolled-back one must not leave this replica
        // refusing tokens that every other replica accepts.
        let revoked = Mutex<Date?>(nil)
        let response = try await dependencies.writes.perform(request, context: context, body: []) { connection in
            let store = VolunteerTokenStore(connection: connection, logger: dependencies.logger)
            _ = try await store.lockVisible(id, to: access)
            let before = try await store.revoke(id, actor: access.subject, reason: "revoked by the station")
            revoked.withLock { $0 = before }
            return try StoredResponse(json: Revoked(volunteerId: id, revokedBefore: before))
        }
        // This replica refuses them at once; the others within one refresh (TokenRevocations).
        if let before = revoked.withLock({ $0 }) {
            dependencies.tokens.revocations.note(role: .volunteer, subject: id.lowercasedString, before: before)
        }
        return response
    }
}
