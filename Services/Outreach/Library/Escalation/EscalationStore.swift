import EventBus
import Foundation
import Hummingbird
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// Where a case goes when outreach cannot resolve it alone.
enum EscalationTarget: String, Sendable, Codable, CaseIterable {
    /// 民政: subsistence, care placement, a family that cannot cope.
    case civilAffairs = "civil-affairs"
    case medical
    case streetOffice = "street-office"
}

/// Escalations with the case history at the time (needs, calls, visits), so whoever takes
/// the case over starts from what outreach knows. The reason stays here; the event says only
/// who, where and to whom.
struct EscalationStore {
    let connection: PostgresConnection
    let logger: Logger

    func escalate(resident: UUID, to target: EscalationTarget, reason: String, by actor: String, area: AreaCode) async throws -> UUID {
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO outreach_escalations (id, resident_id, escalated_to, reason, case_history, escalated_by, area)
            VALUES (\(id), \(resident), \(target.rawValue), \(reason),
                    jsonb_build_object(
                      'needs', coalesce((SELECT jsonb_agg(jsonb_build_object('id', id, 'category', category, 'status', status, 'at', created_at) ORDER BY created_at)
                                         FROM outreach_needs WHERE resident_id = \(resident)), '[]'),
                      'calls', coalesce((SELECT jsonb_agg(jsonb_build_object('kind', kind, 'outcome', outcome, 'note', note, 'at', at) ORDER BY at)
                                         FROM outreach_calls WHERE resident_id = \(resident)), '[]'),
                      'visits', coalesce((SELECT jsonb_agg(jsonb_build_object('assessment', assessment, 'notes', notes, 'at', at) ORDER BY at)
                                          FROM outreach_visits WHERE resident_id = \(resident)), '[]')),
                    \(actor), \(area.rawValue))
            """,
            logger: logger
        )
        try await Outbox.append(
            OutboxEvent(topic: "outreach.case.escalated", key: resident.uuidString.lowercased(), area: area.rawValue, data: .object([
                "escalationId": .string(id.uuidString.lowercased()), "residentId": .string(resident.uuidString.lowercased()),
                "to": .string(target.rawValue), "compound": .string(area.rawValue),
            ])),
            on: connection, logger: logger
        )
        return id
    }
}

/// `POST /v1/residents/{id}/escalations` and `GET /v1/escalations/{id}` (with the case history).
struct EscalationRoutes {
    let dependencies: ServiceDependencies

    struct Input: Decodable {
        var to: String?
        var reason: String?
    }

    struct Escalation: Codable {
        var id: UUID
        var residentId: UUID
        var to: String
        var reason: String
        var caseHistory: JSONValue
        var escalatedBy: String
        var at: Date
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/residents/{id}/escalations") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
            guard let resident = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such resident.") }
            let (input, raw) = try await request.readJSON(as: Input.self, context: context)
            var validator = FieldValidator()
            let target: EscalationTarget? = validator.oneOf(input.to, "to")
            let reason = validator.text(input.reason, "reason", maxLength: 2000)
            try validator.check()
            return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
                guard let area = try await connection.query(
                    "SELECT compound FROM outreach_residents WHERE id = \(resident)", logger: dependencies.logger
                ).decode(String.self).collectAll().first.flatMap(AreaCode.init) else { throw ProblemDetails(status: .notFound, detail: "No such resident.") }
                try Scope.requireVisible(access, area, what: "resident")
                let id = try await EscalationStore(connection: connection, logger: dependencies.logger)
                    .escalate(resident: resident, to: target!, reason: reason!, by: access.subject, area: area)
                struct Created: Codable { var id: UUID }
                return try StoredResponse(status: .created, json: Created(id: id))
            }
        }
        router.get("/v1/escalations/{id}") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            var validator = FieldValidator()
            let reason = validator.text(request.uri.queryParameters["reason"].map(String.init), "reason", maxLength: 200)
            try validator.check()
            guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such escalation.") }
            // The case history is the resident's record: read with a reason, and logged.
            let row = try await dependencies.client.transaction(logger: dependencies.logger) { connection in
                guard let row = try await connection.query(
                    "SELECT resident_id, escalated_to, reason, case_history::text, escalated_by, at, area FROM outreach_escalations WHERE id = \(id)",
                    logger: dependencies.logger
                ).decode((UUID, String, String, String, String, Date, String).self).collectAll().first, let area = AreaCode(row.6)
                else { throw ProblemDetails(status: .notFound, detail: "No such escalation.") }
                try Scope.requireVisible(access, area, what: "escalation")
                try await connection.query(
                    "INSERT INTO outreach_record_reads (resident_id, reader, role, reason) VALUES (\(row.0), \(access.subject), \(access.role.rawValue), \(reason!))",
                    logger: dependencies.logger
                )
                return row
            }
            return try JSONResponse.make(Escalation(
                id: id, residentId: row.0, to: row.1, reason: row.2, caseHistory: (try? JSONParser.parse(Array(row.3.utf8))) ?? .null,
                escalatedBy: row.4, at: row.5
            ))
        }
    }
}
