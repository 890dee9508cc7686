import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Planning rosters (`POST /v1/rosters:plan`) and reading them: a volunteer's shifts, and a
/// post's (a site's) roster, optionally for one day.
struct RosterRoutes {
    let dependencies: ServiceDependencies

    struct PlanAnswer: Codable {
        struct Empty: Codable {
            var shiftId: String
            var unfilled: Int
            var cause: String
            var reason: String
        }
        var planId: UUID
        var shifts: Int
        var slots: Int
        var filled: Int
        var objective: Int
        var lowerBound: Int
        var unfilled: [Empty]
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/rosters:plan") { request, context in try await plan(request, context) }
        router.get("/v1/volunteers/{id}/roster") { request, context in
            try await roster(request, context, what: "volunteer", RosterQueries.Subject.volunteer)
        }
        router.get("/v1/posts/{id}/roster") { request, context in
            try await roster(request, context, what: "post", RosterQueries.Subject.post)
        }
    }

    private func plan(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: PlanForm.self, context: context)
        let window = try form.validated()
        try Scope.require(access, covers: window.area)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let outcome = try await RosterPlanner(connection: connection, logger: dependencies.logger)
                .plan(area: window.area, from: window.from, to: window.to, by: access.subject)
            let solution = outcome.solution
            return try StoredResponse(
                status: .created,
                json: PlanAnswer(
                    planId: outcome.plan, shifts: outcome.shifts, slots: solution.totalSlots, filled: solution.filledSlots,
                    objective: solution.objective, lowerBound: solution.lowerBound,
                    unfilled: solution.unfilled.map {
                        .init(shiftId: $0.shiftId, unfilled: $0.count, cause: $0.cause.rawValue, reason: $0.reason)
                    }
                ))
        }
    }

    private func roster(
        _ request: Request, _ context: ServiceRequestContext, what: String, _ subject: (UUID) -> RosterQueries.Subject
    ) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let id = try context.requireUUID("id", what: what)
        let days = try RosterQueries.days(request.uri.queryParameters["date"].map(String.init))
        let queries = RosterQueries(client: dependencies.client, logger: dependencies.logger)
        return try JSONResponse.make(try await queries.entries(of: subject(id), within: access.areaPattern, starting: days))
    }
}
