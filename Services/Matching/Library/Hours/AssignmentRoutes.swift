import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// A rostered shift as the volunteer works it — confirmed, checked in, checked out (which
/// records its hours) — and the hours ledger per volunteer and per team, with corrections.
struct AssignmentRoutes {
    let dependencies: ServiceDependencies

    struct Answer: Codable {
        var id: UUID
        var step: String
    }

    func add(to router: Router<ServiceRequestContext>) {
        for step in AttendanceStep.allCases {
            router.post("/v1/assignments/{id}/\(step.rawValue)") { request, context in try await record(step, request, context) }
        }
        router.post("/v1/hours/{id}/corrections") { request, context in try await correct(request, context) }
        router.get("/v1/volunteers/{id}/hours") { request, context in try await hours(request, context) }
        router.get("/v1/teams/{id}/hours") { request, context in try await teamHours(request, context) }
    }

    private func record(_ step: AttendanceStep, _ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.volunteer, .staff, .dispatcher, .operator])
        let id = try context.requireUUID("id", what: "assignment")
        let (form, raw) = try await request.readJSON(as: AttendanceForm.self, context: context)
        let at = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = AssignmentStore(connection: connection, logger: dependencies.logger)
            guard let assignment = try await store.lock(id) else { throw ProblemDetails(status: .notFound, detail: "No such assignment.") }
            try assignment.requireReachable(by: access)
            try await store.record(step, of: assignment, at: at, actor: access.subject)
            return try StoredResponse(json: Answer(id: id, step: step.rawValue))
        }
    }

    private func correct(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.staff, .operator])
        let id = try context.requireUUID("id", what: "entry")
        let (form, raw) = try await request.readJSON(as: CorrectionForm.self, context: context)
        let correction = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let ledger = ServiceHours(connection: connection, logger: dependencies.logger)
            guard let community = try await ledger.community(of: id) else {
                throw ProblemDetails(status: .notFound, detail: "No such entry.")
            }
            try Scope.requireVisible(access, community, what: "entry")
            let (_, entry) = try await ledger.correct(id, to: correction.hours, reason: correction.reason, actor: access.subject)
            return try StoredResponse(status: .created, json: entry)
        }
    }

    private func hours(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.staff, .operator, .dispatcher])
        let id = try context.requireUUID("id", what: "volunteer")
        let queries = HoursQueries(client: dependencies.client, logger: dependencies.logger)
        guard let answer = try await queries.volunteer(id, visibleTo: access) else {
            throw ProblemDetails(status: .notFound, detail: "No such volunteer.")
        }
        return try JSONResponse.make(answer)
    }

    private func teamHours(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.staff, .operator, .dispatcher])
        let id = try context.requireUUID("id", what: "team")
        let queries = HoursQueries(client: dependencies.client, logger: dependencies.logger)
        guard let area = try await queries.area(ofTeam: id) else { throw ProblemDetails(status: .notFound, detail: "No such team.") }
        try Scope.requireVisible(access, area, what: "team")
        return try JSONResponse.make(try await queries.team(id))
    }
}
