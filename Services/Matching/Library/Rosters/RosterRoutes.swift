import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// Planning rosters (`POST /v1/rosters:plan`) and reading them: a volunteer's shifts, and a
/// post's (a site's) roster, optionally for one day.
struct RosterRoutes {
    let dependencies: ServiceDependencies

    struct PlanInput: Decodable {
        var area: String?
        var from: String?
        var to: String?
    }

    struct PlanAnswer: Codable {
        struct Empty: Codable { var shiftId: String; var unfilled: Int; var cause: String; var reason: String }
        var planId: UUID
        var shifts: Int
        var slots: Int
        var filled: Int
        var objective: Int
        var lowerBound: Int
        var unfilled: [Empty]
    }

    struct Entry: Codable {
        var assignmentId: UUID
        var shiftId: UUID
        var postId: UUID
        var post: String
        var area: String
        var role: String
        var startsAt: Date
        var endsAt: Date
        var status: String
        var volunteerId: UUID
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/rosters:plan") { request, context in try await plan(request, context) }
        router.get("/v1/volunteers/{id}/roster") { request, context in try await roster(request, context, volunteer: true) }
        router.get("/v1/posts/{id}/roster") { request, context in try await roster(request, context, volunteer: false) }
    }

    private func plan(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: PlanInput.self, context: context)
        var validator = FieldValidator()
        let area = validator.area(input.area, "area")
        let from = validator.required(input.from.flatMap(Timestamp.parse), "from")
        let to = validator.required(input.to.flatMap(Timestamp.parse), "to")
        if let from, let to, to <= from || to.timeIntervalSince(from) > 14 * 86_400 { validator.fail("to", "the window ends after it starts, within 14 days") }
        try validator.check()
        try Scope.require(access, covers: area!)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let outcome: RosterPlanner.Outcome
            do {
                outcome = try await RosterPlanner(connection: connection, logger: dependencies.logger).plan(area: area!, from: from!, to: to!, by: access.subject)
            } catch let error as RosterInstanceError {
                throw ProblemDetails(status: .unprocessableContent, detail: "The stored shifts or volunteers cannot be planned: \(error)")
            }
            let solution = outcome.solution
            return try StoredResponse(status: .created, json: PlanAnswer(
                planId: outcome.plan, shifts: outcome.shifts, slots: solution.totalSlots, filled: solution.filledSlots, objective: solution.objective,
                lowerBound: solution.lowerBound,
                unfilled: solution.unfilled.map { .init(shiftId: $0.shiftId, unfilled: $0.count, cause: $0.cause.rawValue, reason: $0.reason) }
            ))
        }
    }

    private func roster(_ request: Request, _ context: ServiceRequestContext, volunteer: Bool) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "Not found.") }
        // `?date=YYYY-MM-DD`: one day's roster (China Standard Time days, as stations plan them).
        var validator = FieldValidator()
        var from = Date.distantPast, to = Date.distantFuture
        if let day = request.uri.queryParameters["date"].map(String.init) {
            if let start = Timestamp.parse(day + "T00:00:00+08:00") {
                (from, to) = (start, start.addingTimeInterval(86_400))
            } else {
                validator.fail("date", "must be a day, YYYY-MM-DD")
            }
        }
        try validator.check()
        let filter: PostgresQuery = volunteer
            ? "SELECT a.id, s.id, p.id, p.name, p.area, p.role, s.starts_at, s.ends_at, a.status, a.volunteer_id FROM roster_assignments a JOIN shifts s ON s.id = a.shift_id JOIN posts p ON p.id = s.post_id WHERE a.volunteer_id = \(id) AND a.status <> 'cancelled' AND p.area LIKE \(access.areaPattern) AND s.starts_at >= \(from) AND s.starts_at < \(to) ORDER BY s.starts_at"
            : "SELECT a.id, s.id, p.id, p.name, p.area, p.role, s.starts_at, s.ends_at, a.status, a.volunteer_id FROM roster_assignments a JOIN shifts s ON s.id = a.shift_id JOIN posts p ON p.id = s.post_id WHERE p.id = \(id) AND a.status <> 'cancelled' AND p.area LIKE \(access.areaPattern) AND s.starts_at >= \(from) AND s.starts_at < \(to) ORDER BY s.starts_at"
        var entries: [Entry] = []
        for try await row in try await dependencies.client.query(filter, logger: dependencies.logger)
            .decode((UUID, UUID, UUID, String, String, String, Date, Date, String, UUID).self)
        {
            entries.append(Entry(
                assignmentId: row.0, shiftId: row.1, postId: row.2, post: row.3, area: row.4, role: row.5, startsAt: row.6, endsAt: row.7, status: row.8,
                volunteerId: row.9
            ))
        }
        return try JSONResponse.make(entries)
    }
}
