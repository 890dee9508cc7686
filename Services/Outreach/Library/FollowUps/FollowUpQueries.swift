import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// A follow-up due. No name or number here: the caller opens the record (a logged read)
/// when they call.
struct DueFollowUp: Codable {
    var residentId: UUID
    var compound: String
    var careLevel: String
    var dueAt: Date
    var overdue: Bool
    var afterNeedFulfilled: Bool
}

/// The reads of follow-ups: the due list of a caller's area.
struct FollowUpQueries {
    let client: PostgresClient
    let logger: Logger

    /// Due now within `access`'s area, most overdue first, at most 500.
    func due(for access: AccessToken, now: Date = Date()) async throws -> [DueFollowUp] {
        var items: [DueFollowUp] = []
        for try await (resident, compound, careLevel, dueAt, pendingNeed) in try await client.query(
            """
            SELECT r.id, r.compound, r.care_level, f.next_due_at, cardinality(f.pending_need_ids) > 0
            FROM outreach_followups f JOIN outreach_residents r ON r.id = f.resident_id
            WHERE r.compound LIKE \(access.areaPattern) AND r.status = 'active' AND f.next_due_at <= now()
            ORDER BY f.next_due_at LIMIT 500
            """,
            logger: logger
        ).decode((UUID, String, String, Date, Bool).self) {
            items.append(
                DueFollowUp(
                    residentId: resident, compound: compound, careLevel: careLevel, dueAt: dueAt,
                    overdue: FollowUpCadence.isOverdue(due: dueAt, now: now), afterNeedFulfilled: pendingNeed
                ))
        }
        return items
    }
}
