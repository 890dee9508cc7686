import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// Follow-ups and home visits: each caller's due list (`GET /v1/followups/due`), a
/// follow-up call recorded (`POST /v1/residents/{id}/followups`), a home visit with its
/// needs assessment (`POST /v1/residents/{id}/visits`).
struct FollowUpRoutes {
    let dependencies: ServiceDependencies

    /// No name or number here: the caller opens the record (a logged read) when they call.
    struct Due: Codable {
        var residentId: UUID
        var compound: String
        var careLevel: String
        var dueAt: Date
        var overdue: Bool
        var afterNeedFulfilled: Bool
    }

    struct CallInput: Decodable {
        var outcome: String?
        var note: String?
    }

    struct VisitInput: Decodable {
        var assessment: JSONValue?
        var notes: String?
        var need: NeedForm?
    }

    enum FollowUpOutcome: String, CaseIterable { case reachedWell = "reached-well", reachedWithNeeds = "reached-with-needs", noAnswer = "no-answer" }

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/followups/due") { request, _ in try await due(request) }
        router.post("/v1/residents/{id}/followups") { request, context in try await followUp(request, context) }
        router.post("/v1/residents/{id}/visits") { request, context in try await visit(request, context) }
    }

    private func due(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        let now = Date()
        var items: [Due] = []
        for try await (resident, compound, careLevel, dueAt, pendingNeed) in try await dependencies.client.query(
            """
            SELECT r.id, r.compound, r.care_level, f.next_due_at, cardinality(f.pending_need_ids) > 0
            FROM outreach_followups f JOIN outreach_residents r ON r.id = f.resident_id
            WHERE r.compound LIKE \(access.areaPattern) AND r.status = 'active' AND f.next_due_at <= now()
            ORDER BY f.next_due_at LIMIT 500
            """,
            logger: dependencies.logger
        ).decode((UUID, String, String, Date, Bool).self) {
            items.append(Due(
                residentId: resident, compound: compound, careLevel: careLevel, dueAt: dueAt,
                overdue: FollowUpCadence.isOverdue(due: dueAt, now: now), afterNeedFulfilled: pendingNeed
            ))
        }
        return try JSONResponse.make(items)
    }

    private func resident(_ id: UUID, _ access: AccessToken, on connection: PostgresConnection) async throws -> (compound: AreaCode, careLevel: CareLevel) {
        guard let (compound, level) = try await connection.query(
            "SELECT compound, care_level FROM outreach_residents WHERE id = \(id) AND status = 'active'", logger: dependencies.logger
        ).decode((String, String).self).collectAll().first, let area = AreaCode(compound) else {
            throw ProblemDetails(status: .notFound, detail: "No such resident.")
        }
        try Scope.requireVisible(access, area, what: "resident")
        return (area, CareLevel(rawValue: level) ?? .medium)
    }

    private func followUp(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such resident.") }
        let (input, raw) = try await request.readJSON(as: CallInput.self, context: context)
        var validator = FieldValidator()
        let outcome: FollowUpOutcome? = validator.oneOf(input.outcome, "outcome")
        let note = validator.text(input.note, "note", maxLength: 1000, optional: true)
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let (area, level) = try await resident(id, access, on: connection)
            try await FollowUpStore(connection: connection, logger: dependencies.logger).recordCall(
                resident: id, contact: nil, caller: access.subject, kind: "follow-up", outcome: outcome!.rawValue, note: note, area: area, careLevel: level
            )
            struct Recorded: Codable { var residentId: UUID; var outcome: String }
            return try StoredResponse(status: .created, json: Recorded(residentId: id, outcome: outcome!.rawValue))
        }
    }

    private func visit(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such resident.") }
        let (input, raw) = try await request.readJSON(as: VisitInput.self, context: context)
        var validator = FieldValidator()
        let assessment = validator.required(input.assessment, "assessment")
        if let assessment, case .object = assessment {} else if assessment != nil { validator.fail("assessment", "is an object of findings") }
        let notes = validator.text(input.notes, "notes", maxLength: 2000, optional: true)
        try validator.check()
        let need = try input.need?.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let logger = dependencies.logger
            let (area, level) = try await resident(id, access, on: connection)
            let visit = UUID()
            try await connection.query(
                "INSERT INTO outreach_visits (id, resident_id, visitor, assessment, notes) VALUES (\(visit), \(id), \(access.subject), \(assessment!.canonicalText)::jsonb, \(notes))",
                logger: logger
            )
            try await FollowUpStore(connection: connection, logger: logger).recordCall(
                resident: id, contact: nil, caller: access.subject, kind: "visit", outcome: "visited", note: nil, area: area, careLevel: level
            )
            var needID: UUID?
            if let need { needID = try await NeedStore(connection: connection, logger: logger).identify(need, resident: id, compound: area, foundBy: access.subject) }
            struct Visited: Codable { var id: UUID; var needId: UUID? }
            return try StoredResponse(status: .created, json: Visited(id: visit, needId: needID))
        }
    }
}
