import EventBus
import Foundation
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
                      'needs', coalesce((SELECT jsonb_agg(jsonb_build_object('id', id, 'category', category, 'status', status, 'at', created_at)
                                                          ORDER BY created_at)
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
            OutreachEvents.caseEscalated(id, resident: resident, to: target, area: area), on: connection, logger: logger)
        return id
    }

    /// The escalation with its case history, and its area; nil when there is none. The
    /// history is the resident's record: the caller logs the read (`RegistryReads`).
    func find(_ id: UUID) async throws -> (escalation: Escalation, area: AreaCode)? {
        guard
            let row = try await connection.query(
                """
                SELECT resident_id, escalated_to, reason, case_history::text, escalated_by, at, area
                FROM outreach_escalations WHERE id = \(id)
                """,
                logger: logger
            ).decode((UUID, String, String, String, String, Date, String).self).collectAll().first, let area = AreaCode(row.6)
        else { return nil }
        let escalation = Escalation(
            id: id, residentId: row.0, to: row.1, reason: row.2, caseHistory: (try? JSONParser.parse(Array(row.3.utf8))) ?? .null,
            escalatedBy: row.4, at: row.5
        )
        return (escalation, area)
    }
}

/// An escalation as staff read it, with the case history at the time.
struct Escalation: Codable {
    var id: UUID
    var residentId: UUID
    var to: String
    var reason: String
    var caseHistory: JSONValue
    var escalatedBy: String
    var at: Date
}
