import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
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
        if let original { extra["probableDuplicateOf"] = .string(original.lowercasedString) }
        if let need = request.outreachNeed { extra["needId"] = .string(need.lowercasedString) }
        try await Outbox.append(IntakeEvents.request(IntakeEvents.requestCreated, summary, extra: extra), on: connection, logger: logger)
        return (id, original)
    }

    /// Cancels the request for `access` (within its area), with `reason` in its history.
    func cancel(_ id: UUID, reason: String, by access: AccessToken) async throws -> WorkOrderSummary {
        var summary = try await lockVisible(id, to: access)
        let previous = summary.status
        var progress = WorkOrderProgress(status: previous)
        guard progress.cancel() else { throw Refusal("A request that is \(previous.rawValue) can no longer be cancelled.") }
        summary.status = progress.status
        try await update(
            summary, from: previous, cause: "cancelled: \(reason)", actor: access.subject, topic: IntakeEvents.requestCancelled
        )
        return summary
    }

    /// Merges the duplicate `id` into `original`; both must lie in `access`'s area, and the
    /// original must still be open to take it.
    func merge(_ id: UUID, into original: UUID, by access: AccessToken) async throws -> WorkOrderSummary {
        // Lock both in id order so two opposite merges cannot deadlock.
        var locked: [UUID: WorkOrderSummary] = [:]
        for each in [id, original].sorted(by: { $0.uuidString < $1.uuidString }) { locked[each] = try await lock(each) }
        guard var duplicate = locked[id], let target = locked[original] else {
            throw NotFound("request")
        }
        try Scope.requireVisible(access, duplicate.compound, what: "request")
        try Scope.requireVisible(access, target.compound, what: "request")
        guard !target.status.isClosed else { throw Refusal("Cannot merge into a request that is \(target.status.rawValue).") }
        let previous = duplicate.status
        var progress = WorkOrderProgress(status: previous)
        guard progress.merge() else { throw Refusal("A request that is \(previous.rawValue) cannot be merged.") }
        duplicate.status = progress.status
        try await connection.query("UPDATE requests SET merged_into = \(original) WHERE id = \(id)", logger: logger)
        try await update(
            duplicate, from: previous, cause: "merged into \(original.lowercasedString)", actor: access.subject,
            topic: IntakeEvents.requestMerged, extra: ["mergedInto": .string(original.lowercasedString)]
        )
        try await history(original, status: target.status, cause: "absorbed duplicate \(id.lowercasedString)", actor: access.subject)
        return duplicate
    }

    /// The request locked for a change, when `access` may see it (404 otherwise, as for
    /// one that does not exist).
    private func lockVisible(_ id: UUID, to access: AccessToken) async throws -> WorkOrderSummary {
        guard let summary = try await lock(id) else { throw NotFound("request") }
        try Scope.requireVisible(access, summary.compound, what: "request")
        return summary
    }

    /// The request, locked for a change.
    func lock(_ id: UUID) async throws -> WorkOrderSummary? {
        try await connection.query(
            "SELECT id, category, urgency, zone, compound, status, filed_by FROM requests WHERE id = \(id) FOR UPDATE", logger: logger
        ).decode((UUID, String, String, String, String, String, String).self).collectAll().first.flatMap { row in
            AreaCode(row.4).map { compound in
                WorkOrderSummary(
                    id: row.0, category: WorkOrderCategory(rawValue: row.1) ?? .other, urgency: Urgency(rawValue: row.2) ?? .normal,
                    zone: ZoneStatus(rawValue: row.3) ?? .precaution, compound: compound,
                    status: WorkOrderStatus(rawValue: row.5) ?? .open, filedBy: FiledBy(rawValue: row.6) ?? .resident
                )
            }
        }
    }

    /// Records `summary.status` (already advanced) and announces it.
    func update(
        _ summary: WorkOrderSummary, from previous: WorkOrderStatus, cause: String, actor: String, topic: Topic,
        extra: [String: JSONValue] = [:]
    ) async throws {
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
