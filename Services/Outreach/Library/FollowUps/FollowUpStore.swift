import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import Store

/// The SQL of follow-ups: every call or visit is logged, a resident reached has their next
/// follow-up set by their care level, and a fulfilled need brings it forward to the next day.
struct FollowUpStore {
    let connection: PostgresConnection
    let logger: Logger

    /// Starts a resident's cadence: their first follow-up is due now.
    func start(_ resident: UUID) async throws {
        try await connection.query(
            "INSERT INTO outreach_followups (resident_id, next_due_at) VALUES (\(resident), now()) ON CONFLICT (resident_id) DO NOTHING", logger: logger
        )
    }

    /// Logs one call; when the resident was reached, it counts as a follow-up done.
    func recordCall(
        resident: UUID, contact: UUID?, caller: String, kind: String, outcome: String, note: String?, area: AreaCode, careLevel: CareLevel
    ) async throws {
        try await connection.query(
            """
            INSERT INTO outreach_calls (contact_id, resident_id, caller, kind, outcome, note, area)
            VALUES (\(contact), \(resident), \(caller), \(kind), \(outcome), \(note), \(area.rawValue))
            """,
            logger: logger
        )
        if outcome.hasPrefix("reached") || kind == "visit" {
            try await done(resident, careLevel: careLevel, area: area)
        }
    }

    /// A follow-up was done now: the next one falls due by the cadence, and if it answered
    /// a fulfilled need, the work order is announced as followed up.
    func done(_ resident: UUID, careLevel: CareLevel, area: AreaCode, now: Date = Date()) async throws {
        let pending = try await connection.query(
            "SELECT pending_need_id FROM outreach_followups WHERE resident_id = \(resident) FOR UPDATE", logger: logger
        ).decode(UUID?.self).collectAll().first ?? nil
        try await connection.query(
            """
            INSERT INTO outreach_followups (resident_id, next_due_at, last_done_at) VALUES (\(resident), \(FollowUpCadence.next(after: now, level: careLevel)), \(now))
            ON CONFLICT (resident_id) DO UPDATE SET next_due_at = EXCLUDED.next_due_at, last_done_at = EXCLUDED.last_done_at, pending_need_id = NULL
            """,
            logger: logger
        )
        var data: [String: JSONValue] = ["residentId": .string(resident.uuidString.lowercased()), "compound": .string(area.rawValue)]
        if let pending,
            let request = try await connection.query("SELECT request_id FROM outreach_needs WHERE id = \(pending)", logger: logger)
                .decode(UUID?.self).collectAll().first ?? nil
        {
            data["needId"] = .string(pending.uuidString.lowercased())
            data["requestId"] = .string(request.uuidString.lowercased())
        }
        try await Outbox.append(
            OutboxEvent(topic: "outreach.followup.completed", key: resident.uuidString.lowercased(), area: area.rawValue, data: .object(data)),
            on: connection, logger: logger
        )
    }

    /// A need of the resident was fulfilled: call them back the next day (电话后续跟进).
    func scheduleAfterFulfilment(of need: UUID, resident: UUID, now: Date = Date()) async throws {
        let due = FollowUpCadence.afterFulfilment(at: now, currentlyDue: nil)
        try await connection.query(
            """
            INSERT INTO outreach_followups (resident_id, next_due_at, pending_need_id) VALUES (\(resident), \(due), \(need))
            ON CONFLICT (resident_id) DO UPDATE SET next_due_at = LEAST(outreach_followups.next_due_at, EXCLUDED.next_due_at),
                                                    pending_need_id = EXCLUDED.pending_need_id
            """,
            logger: logger
        )
    }
}
