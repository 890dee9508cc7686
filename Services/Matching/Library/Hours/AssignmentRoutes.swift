import EventBus
import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// A rostered shift as the volunteer works it — confirmed, checked in, checked out (which
/// records its hours) — and the hours ledger per volunteer and per team, with corrections.
struct AssignmentRoutes {
    let dependencies: ServiceDependencies

    struct TimeInput: Decodable {
        var at: String?
    }

    struct CorrectionInput: Decodable {
        var hours: Double?
        var reason: String?
    }

    struct Hours: Codable {
        var volunteerId: UUID
        var total: Double
        var entries: [ServiceHours.Entry]
    }

    struct TeamHours: Codable {
        struct Member: Codable { var volunteerId: UUID; var hours: Double }
        var teamId: UUID
        var total: Double
        var members: [Member]
    }

    enum Step: String { case confirm, checkIn = "check-in", checkOut = "check-out" }

    func add(to router: Router<ServiceRequestContext>) {
        for step in [Step.confirm, .checkIn, .checkOut] {
            router.post("/v1/assignments/{id}/\(step.rawValue)") { request, context in try await record(step, request, context) }
        }
        router.post("/v1/hours/{id}/corrections") { request, context in try await correct(request, context) }
        router.get("/v1/volunteers/{id}/hours") { request, context in try await hours(request, context) }
        router.get("/v1/teams/{id}/hours") { request, context in try await teamHours(request, context) }
    }

    private func record(_ step: Step, _ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.volunteer, .staff, .dispatcher, .operator])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such assignment.") }
        let (input, raw) = try await request.readJSON(as: TimeInput.self, context: context)
        var validator = FieldValidator()
        let at = validator.pastTime(input.at, "at", optional: true) ?? Date()
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let logger = dependencies.logger
            guard let (volunteer, status, confirmed, checkedIn, checkedOut, area, starts) = try await connection.query(
                """
                SELECT a.volunteer_id, a.status, a.confirmed_at, a.checked_in_at, a.checked_out_at, p.area, s.starts_at
                FROM roster_assignments a JOIN shifts s ON s.id = a.shift_id JOIN posts p ON p.id = s.post_id WHERE a.id = \(id) FOR UPDATE OF a
                """,
                logger: logger
            ).decode((UUID, String, Date?, Date?, Date?, String, Date).self).collectAll().first, let code = AreaCode(area) else {
                throw ProblemDetails(status: .notFound, detail: "No such assignment.")
            }
            if access.role == .volunteer {
                // A volunteer confirms and checks in and out of their own shifts only.
                guard access.subject == volunteer.uuidString.lowercased() || UUID(uuidString: access.subject) == volunteer else {
                    throw ProblemDetails(status: .notFound, detail: "No such assignment.")
                }
            } else {
                try Scope.requireVisible(access, code, what: "assignment")
            }
            guard status != "cancelled" else { throw ProblemDetails(status: .conflict, title: "Cancelled", detail: "This assignment was cancelled.") }
            switch step {
            case .confirm:
                guard confirmed == nil else { break }
                try await connection.query("UPDATE roster_assignments SET confirmed_at = now(), status = 'confirmed' WHERE id = \(id)", logger: logger)
            case .checkIn:
                guard checkedIn == nil else { throw ProblemDetails(status: .conflict, title: "Already checked in", detail: "Checked in at \(Timestamp.format(checkedIn!)).") }
                guard at > starts.addingTimeInterval(-2 * 3600) else {
                    throw ProblemDetails.validation([.init(field: "at", message: "more than two hours before the shift starts")])
                }
                try await connection.query("UPDATE roster_assignments SET checked_in_at = \(at), status = 'on-duty' WHERE id = \(id)", logger: logger)
            case .checkOut:
                guard let checkedIn else { throw ProblemDetails(status: .conflict, title: "Not checked in", detail: "Check in first; a forgotten check-in is fixed by a correction.") }
                guard checkedOut == nil else { throw ProblemDetails(status: .conflict, title: "Already checked out", detail: "Checked out at \(Timestamp.format(checkedOut!)).") }
                guard at > checkedIn else { throw ProblemDetails.validation([.init(field: "at", message: "check-out comes after check-in")]) }
                let hours = min(24, (at.timeIntervalSince(checkedIn) / 3600 * 100).rounded() / 100)
                try await connection.query("UPDATE roster_assignments SET checked_out_at = \(at), status = 'done' WHERE id = \(id)", logger: logger)
                try await ServiceHours(connection: connection, logger: logger).record(volunteer: volunteer, source: "shift", sourceID: id, hours: hours, actor: access.subject)
                try await Outbox.append(
                    OutboxEvent(topic: "matching.shift.worked", key: id.uuidString.lowercased(), area: area, data: .object([
                        "assignmentId": .string(id.uuidString.lowercased()), "volunteerId": .string(volunteer.uuidString.lowercased()), "hours": .number(hours),
                    ])),
                    on: connection, logger: logger
                )
            }
            struct Answer: Codable { var id: UUID; var step: String }
            return try StoredResponse(json: Answer(id: id, step: step.rawValue))
        }
    }

    private func correct(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.staff, .operator])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such entry.") }
        let (input, raw) = try await request.readJSON(as: CorrectionInput.self, context: context)
        var validator = FieldValidator()
        let hours = validator.required(input.hours, "hours")
        if let hours, !(0...24).contains(hours) { validator.fail("hours", "between 0 and 24") }
        let reason = validator.text(input.reason, "reason", maxLength: 500)
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let community = try await connection.query(
                "SELECT v.community FROM service_hours h JOIN volunteers v ON v.id = h.volunteer_id WHERE h.id = \(id)", logger: dependencies.logger
            ).decode(String.self).collectAll().first.flatMap(AreaCode.init)
            guard let community else { throw ProblemDetails(status: .notFound, detail: "No such entry.") }
            try Scope.requireVisible(access, community, what: "entry")
            let (_, entry) = try await ServiceHours(connection: connection, logger: dependencies.logger).correct(id, to: hours!, reason: reason!, actor: access.subject)
            return try StoredResponse(status: .created, json: entry)
        }
    }

    private func hours(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.staff, .operator, .dispatcher])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such volunteer.") }
        let answer = try await dependencies.client.withConnection { connection -> Hours? in
            guard let community = try await connection.query("SELECT community FROM volunteers WHERE id = \(id)", logger: dependencies.logger)
                .decode(String.self).collectAll().first.flatMap(AreaCode.init), access.covers(community)
            else { return nil }
            let entries = try await ServiceHours(connection: connection, logger: dependencies.logger).entries(volunteer: id)
            return Hours(volunteerId: id, total: entries.reduce(0) { $0 + $1.hours }, entries: entries)
        }
        guard let answer else { throw ProblemDetails(status: .notFound, detail: "No such volunteer.") }
        return try JSONResponse.make(answer)
    }

    private func teamHours(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.staff, .operator, .dispatcher])
        guard let id = context.parameters.get("id", as: UUID.self),
            let area = try await dependencies.client.query("SELECT area FROM teams WHERE id = \(id)", logger: dependencies.logger)
                .decode(String.self).collectAll().first.flatMap(AreaCode.init)
        else { throw ProblemDetails(status: .notFound, detail: "No such team.") }
        try Scope.requireVisible(access, area, what: "team")
        let members = try await dependencies.client.query(
            "SELECT volunteer_id, sum(hours) FROM service_hours WHERE team_id = \(id) GROUP BY volunteer_id ORDER BY volunteer_id", logger: dependencies.logger
        ).decode((UUID, Double).self).collectAll().map { TeamHours.Member(volunteerId: $0.0, hours: $0.1) }
        return try JSONResponse.make(TeamHours(teamId: id, total: members.reduce(0) { $0 + $1.hours }, members: members))
    }
}
