import EventBus
import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Residents' requests (工单): filed by the resident (public, rate-limited) or on their
/// behalf, cancelled, merged when duplicated, and read within the caller's area.
struct RequestRoutes {
    let dependencies: ServiceDependencies
    let publicLimiter: RateLimiter
    let duplicateWindow: Duration

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/requests") { request, context in try await create(request, context) }
        router.post("/v1/requests/{id}/cancel") { request, context in try await cancel(request, context) }
        router.post("/v1/requests/{id}/merge") { request, context in try await merge(request, context) }
        router.get("/v1/requests") { request, _ in try await list(request) }
        router.get("/v1/requests/{id}") { request, context in try await detail(request, context) }
    }

    private var queries: RequestQueries { RequestQueries(client: dependencies.client, logger: dependencies.logger) }

    private func create(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access: AccessToken?
        if request.headers[.authorization] != nil {
            access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher, .caller])
        } else {
            // Staff, dispatchers and callers file requests all day: only anonymous residents are limited.
            try publicLimiter.admit(context)
            access = nil
        }
        let actor = access?.subject ?? "resident"
        let (form, raw) = try await request.readJSON(as: RequestForm.self, context: context)
        let new = try form.validated()
        if access == nil && new.filedBy != .resident {
            throw ProblemDetails.validation([.init(field: "filedBy", message: "without a token a request is filed by the resident")])
        }
        if let access { try Scope.require(access, covers: new.compound) }
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("compound", new.compound)])
            let (id, original) = try await RequestStore(connection: connection, logger: dependencies.logger).create(
                new, actor: actor, window: duplicateWindow)
            struct Created: Codable {
                var id: UUID
                var status: String
                var probableDuplicateOf: UUID?
            }
            return try StoredResponse(
                status: .created, json: Created(id: id, status: WorkOrderStatus.open.rawValue, probableDuplicateOf: original))
        }
    }

    private func cancel(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let id = try context.requireUUID("id", what: "request")
        let (form, raw) = try await request.readJSON(as: CancellationForm.self, context: context)
        let reason = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let cancelled = try await RequestStore(connection: connection, logger: dependencies.logger).cancel(
                id, reason: reason, by: access)
            struct Cancelled: Codable {
                var id: UUID
                var status: String
            }
            return try StoredResponse(json: Cancelled(id: id, status: cancelled.status.rawValue))
        }
    }

    private func merge(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let id = try context.requireUUID("id", what: "request")
        let (form, raw) = try await request.readJSON(as: MergeForm.self, context: context)
        let original = try form.validated(duplicate: id)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let merged = try await RequestStore(connection: connection, logger: dependencies.logger).merge(id, into: original, by: access)
            struct Merged: Codable {
                var id: UUID
                var status: String
                var mergedInto: UUID
            }
            return try StoredResponse(json: Merged(id: id, status: merged.status.rawValue, mergedInto: original))
        }
    }

    private func list(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher, .caller])
        let query = try ListQuery(request, access: access, statuses: WorkOrderStatus.self)
        return try JSONResponse.make(try await queries.page(query))
    }

    private func detail(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher, .caller])
        let id = try context.requireUUID("id", what: "request")
        guard let detail = try await queries.detail(id, visibleTo: access) else {
            throw ProblemDetails(status: .notFound, detail: "No such request.")
        }
        return try JSONResponse.make(detail)
    }
}
