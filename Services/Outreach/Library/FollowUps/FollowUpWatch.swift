import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import Store

/// Announces `outreach.followup.overdue` for residents whose follow-up is more than six hours
/// late, once per due time: the claim is a conditional update in the event's transaction,
/// so replicas never announce it twice.
struct FollowUpWatch {
    let client: PostgresClient
    let logger: Logger

    /// The watch as the service group runs it: a check every minute.
    func periodically(every interval: Duration = .seconds(60)) -> PeriodicWork {
        PeriodicWork("follow-up check", every: interval, logger: logger) { try await check() }
    }

    func check(now: Date = Date()) async throws {
        try await client.transaction(logger: logger) { connection in
            let overdue = try await connection.query(
                """
                UPDATE outreach_followups f SET overdue_announced_for = f.next_due_at
                FROM outreach_residents r
                WHERE r.id = f.resident_id AND r.status = 'active' AND f.next_due_at < \(now.addingTimeInterval(-6 * 3600))
                  AND f.overdue_announced_for IS DISTINCT FROM f.next_due_at
                RETURNING f.resident_id, r.compound, r.care_level, f.next_due_at
                """,
                logger: logger
            ).decode((UUID, String, String, Date).self).collectAll()
            try await Outbox.append(
                overdue.map { OutreachEvents.followUpOverdue(resident: $0.0, compound: $0.1, careLevel: $0.2, due: $0.3) },
                on: connection, logger: logger
            )
        }
    }
}
