import Foundation
import Hummingbird
import Models
import ServiceKit

/// The volunteer's own view, with their own token (`/v1/me/…`): the offers and tasks they
/// hold, their shifts, their hours. A volunteer token reads only its holder's data: the id
/// comes from the token, never from the path. Accepting, declining and completing stay at
/// `/v1/dispatches/{requestId}/…`; the details of a held task are intake's
/// (`GET /v1/requests/{id}/task`).
struct OwnViewRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/me/offers") { request, _ in try await offers(request) }
        router.get("/v1/me/shifts") { request, _ in try await shifts(request) }
        router.get("/v1/me/hours") { request, _ in try await hours(request) }
    }

    /// The volunteer calling, from their token.
    private func volunteer(_ request: Request) throws(ProblemDetails) -> UUID {
        let access = try dependencies.tokens.authenticate(request, allowing: [.volunteer])
        guard let id = UUID(uuidString: access.subject) else {
            throw ProblemDetails(status: .forbidden, detail: "This token names no volunteer; ask your station for a new one.")
        }
        return id
    }

    private func offers(_ request: Request) async throws -> Response {
        let id = try volunteer(request)
        return try JSONResponse.make(try await OwnViewQueries(client: dependencies.client, logger: dependencies.logger).offers(of: id))
    }

    /// Their rostered shifts, optionally of one day (`?date=YYYY-MM-DD`), wherever the posts are.
    private func shifts(_ request: Request) async throws -> Response {
        let id = try volunteer(request)
        let days = try RosterQueries.days(request.uri.queryParameters["date"].map(String.init))
        let queries = RosterQueries(client: dependencies.client, logger: dependencies.logger)
        return try JSONResponse.make(try await queries.entries(of: .volunteer(id), within: "%", starting: days))
    }

    private func hours(_ request: Request) async throws -> Response {
        let id = try volunteer(request)
        return try JSONResponse.make(try await HoursQueries(client: dependencies.client, logger: dependencies.logger).own(id))
    }
}
