import Foundation
import Hummingbird
import Models
import ServiceKit

/// The task as the volunteer holding it reads it on their phone (`/v1/requests/{id}/task`),
/// and the log of those reads for the station (`/v1/requests/{id}/task-reads`).
struct RequestTaskRoutes {
    let dependencies: ServiceDependencies

    struct Reads: Codable {
        var requestId: UUID
        var reads: [RequestHolders.Read]
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/requests/{id}/task") { request, context in try await task(request, context) }
        router.get("/v1/requests/{id}/task-reads") { request, context in try await reads(request, context) }
    }

    /// 404 for anyone who does not hold the task now, exactly as for a request that does not
    /// exist: a volunteer learns nothing about requests that are not theirs.
    private func task(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.volunteer])
        let id = try context.requireUUID("id", what: "request")
        let task = try await dependencies.client.transaction(logger: dependencies.logger) { connection in
            try await RequestHolders(connection: connection, logger: dependencies.logger).read(id, by: access)
        }
        guard let task else { throw ProblemDetails(status: .notFound, detail: "No such task of yours.") }
        var response = try JSONResponse.make(task)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func reads(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let id = try context.requireUUID("id", what: "request")
        let reads = try await dependencies.client.withConnection { connection in
            let holders = RequestHolders(connection: connection, logger: dependencies.logger)
            guard let compound = try await holders.compound(of: id) else { throw NotFound("request") }
            try Scope.requireVisible(access, compound, what: "request")
            return try await holders.reads(of: id)
        }
        return try JSONResponse.make(Reads(requestId: id, reads: reads))
    }
}
