import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceLifecycle
import Store

/// Announces `outreach.followup.overdue` for residents whose follow-up is more than six hours
/// late, once per due time: the claim is a conditional update in the event's transaction,
/// so replicas never announce it twice.
struct FollowUpWatch: Service {
    let client: PostgresClient
    let logger: Logger
    var interval: Duration = .seconds(60)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await check()
            } catch {
                logger.error("follow-up check failed; trying again next round", metadata: ["error": "\(LoggableError.describe(error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
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
                overdue.map { resident, compound, level, due in
                    OutboxEvent(topic: "outreach.followup.overdue", key: resident.uuidString.lowercased(), area: compound, data: .object([
                        "residentId": .string(resident.uuidString.lowercased()), "compound": .string(compound), "careLevel": .string(level),
                        "dueAt": .string(Timestamp.format(due)),
                    ]))
                },
                on: connection, logger: logger
            )
        }
    }
}
