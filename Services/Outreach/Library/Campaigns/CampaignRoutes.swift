import Foundation
import Hummingbird
import Models
import ServiceKit

/// Call campaigns (`/v1/campaigns`): "every resident over 80 in this street", spread evenly
/// over the callers, each working their own queue concurrently (`…/next`), recording an
/// outcome per call (`/v1/contacts/{id}/outcome`); a need found becomes a work order, a
/// case that needs more becomes an escalation.
struct CampaignRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/campaigns") { request, context in try await create(request, context) }
        router.get("/v1/campaigns/{id}") { request, context in try await progress(request, context) }
        router.post("/v1/campaigns/{id}/next") { request, context in try await next(request, context) }
        router.post("/v1/contacts/{id}/outcome") { request, context in try await record(request, context) }
    }

    private func create(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: CampaignForm.self, context: context)
        let campaign = try form.validated()
        try Scope.require(access, covers: campaign.area)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let created = try await CampaignStore(connection: connection, logger: dependencies.logger).create(campaign, by: access.subject)
            return try StoredResponse(status: .created, json: created)
        }
    }

    /// Staff of the area see every caller's row; a caller inside the area sees their own.
    private func progress(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        let id = try context.requireUUID("id", what: "campaign")
        let queries = CampaignQueries(client: dependencies.client, logger: dependencies.logger)
        guard let (title, area) = try await queries.header(id), Self.visible(area, to: access) else {
            throw ProblemDetails(status: .notFound, detail: "No such campaign.")
        }
        let progress = try await queries.progress(id, title: title, area: area, onlyCaller: access.covers(area) ? nil : access.subject)
        return try JSONResponse.make(progress)
    }

    /// The caller's next contact (204: nothing to call now); see `CampaignStore.next`.
    private func next(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.caller, .staff])
        let campaign = try context.requireUUID("id", what: "campaign")
        let call = try await dependencies.client.transaction(logger: dependencies.logger) { connection -> CampaignCall? in
            let store = CampaignStore(connection: connection, logger: dependencies.logger)
            guard let area = try await store.area(of: campaign), Self.visible(area, to: access) else {
                throw ProblemDetails(status: .notFound, detail: "No such campaign.")
            }
            return try await store.next(in: campaign, for: access)
        }
        guard let call else { return Response(status: .noContent) }
        return try JSONResponse.make(call)
    }

    /// One call's outcome, by the caller holding the contact (409 otherwise).
    private func record(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.caller, .staff])
        let id = try context.requireUUID("id", what: "contact")
        let (form, raw) = try await request.readJSON(as: OutcomeForm.self, context: context)
        let call = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = CampaignStore(connection: connection, logger: dependencies.logger)
            guard let contact = try await store.lockContact(id) else { throw ProblemDetails(status: .notFound, detail: "No such contact.") }
            try Scope.requireVisible(access, contact.compound, what: "contact")
            return try StoredResponse(json: try await store.record(call, on: contact, by: access.subject))
        }
    }

    /// A campaign is visible to whoever covers its area, and to a caller working inside it.
    private static func visible(_ area: AreaCode, to access: AccessToken) -> Bool {
        access.covers(area) || (access.area.map { area.contains($0) } ?? false)
    }
}
