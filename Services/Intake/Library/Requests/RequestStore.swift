import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import Store

/// The SQL of residents' requests: creating one (with duplicate detection), moving it on,
/// and its history. Every change writes its event in the same transaction.
struct RequestStore {
    let connection: PostgresConnection
    let logger: Logger

    /// Stores `request`; flags it as a probable duplicate of an open request of the same
    /// household and category created within `window`.
    func create(_ request: NewRequest, actor: String, window: Duration) async throws -> (id: UUID, duplicateOf: UUID?) {
        let seconds = Double(window.components.seconds)
        // Two filings of one household at the same moment (a double tap, a retry sent to
        // another replica) take turns here, so the second sees the first.
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(request.householdKey)))", logger: logger)
        let original = try await connection.query(
            """
            SELECT id FROM requests
            WHERE household_key = \(request.householdKey) AND category = \(request.category.rawValue)
              AND created_at > now() - make_interval(secs => \(seconds))
              AND status NOT IN ('cancelled', 'merged', 'completed', 'followed-up')
            ORDER BY created_at LIMIT 1
            """,
            logger: logger
        ).decode(UUID.self).collectAll().first
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO requests (id, category, details, urgency, compound, address, zone, contact_name, contact_phone,
                                  filed_by, household_key, probable_duplicate_of, outreach_need_id)
            VALUES (\(id), \(request.category.rawValue), \(request.detailsJSON)::jsonb, \(request.urgency.rawValue),
                    \(request.compound.rawValue), \(request.address), \(request.zone.rawValue), \(request.contactName),
                    \(request.contactPhone.digits), \(request.filedBy.rawValue), \(request.householdKey), \(original), \(request.outreachNeed))
            """,
            logger: logger
        )
        try await history(id, status: .open, cause: original == nil ? "created" : "created (probable duplicate)", actor: actor)
        let summary = WorkOrderSummary(
            id: id, category: request.category, urgency: request.urgency, zone: request.zone, compound: request.compound,
            status: .open, filedBy: request.filedBy
        )
        var extra: [String: JSONValue] = [:]
        if let original { extra["probableDuplicateOf"] = .string(original.uuidString.lowercased()) }
        if let need = request.outreachNeed { extra["needId"] = .string(need.uuidString.lowercased()) }
        try await Outbox.append(IntakeEvents.request("intake.request.created", summary, extra: extra), on: connection, logger: logger)
        return (id, original)
    }

    /// The request, locked for a change.
    func lock(_ id: UUID) async throws -> WorkOrderSummary? {
        try await connection.query(
            "SELECT id, category, urgency, zone, compound, status, filed_by FROM requests WHERE id = \(id) FOR UPDATE", logger: logger
        ).decode((UUID, String, String, String, String, String, String).self).collectAll().first.map { row in
            WorkOrderSummary(
                id: row.0, category: WorkOrderCategory(rawValue: row.1) ?? .other, urgency: Urgency(rawValue: row.2) ?? .normal,
                zone: ZoneStatus(rawValue: row.3) ?? .precaution, compound: AreaCode(row.4)!,
                status: WorkOrderStatus(rawValue: row.5) ?? .open, filedBy: FiledBy(rawValue: row.6) ?? .resident
            )
        }
    }

    /// Records `summary.status` (already advanced) and announces it.
    func update(_ summary: WorkOrderSummary, from previous: WorkOrderStatus, cause: String, actor: String, topic: Topic, extra: [String: JSONValue] = [:]) async throws {
        try await connection.query(
            "UPDATE requests SET status = \(summary.status.rawValue), updated_at = now() WHERE id = \(summary.id)", logger: logger
        )
        try await history(summary.id, status: summary.status, cause: cause, actor: actor)
        var data = extra
        data["previousStatus"] = .string(previous.rawValue)
        try await Outbox.append(IntakeEvents.request(topic, summary, extra: data), on: connection, logger: logger)
    }

    func history(_ id: UUID, status: WorkOrderStatus, cause: String, actor: String) async throws {
        try await connection.query(
            "INSERT INTO request_history (request_id, status, cause, actor) VALUES (\(id), \(status.rawValue), \(cause), \(actor))",
            logger: logger
        )
    }
}
