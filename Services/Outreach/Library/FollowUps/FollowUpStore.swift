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
            "INSERT INTO outreach_followups (resident_id, next_due_at) VALUES (\(resident), now()) ON CONFLICT (resident_id) DO NOTHING",
            logger: logger
        )
    }

    /// Logs one call; when the resident was reached, it counts as a follow-up done. A
    /// contact that could not be reached (three unanswered attempts, a wrong number) is due
    /// for a visit at once.
    func recordCall(
        resident: UUID, contact: UUID?, caller: String, kind: String, outcome: String, note: String?, area: AreaCode, careLevel: CareLevel,
        finalAttempt: Bool = false
    ) async throws {
        try await connection.query(
            """
            INSERT INTO outreach_calls (contact_id, resident_id, caller, kind, outcome, note, area)
            VALUES (\(contact), \(resident), \(caller), \(kind), \(outcome), \(note), \(area.rawValue))
            """,
            logger: logger
        )
        if Self.reached(outcome) || kind == "visit" {
            try await done(resident, careLevel: careLevel, area: area)
        } else if finalAttempt {
            try await connection.query(
                "UPDATE outreach_followups SET next_due_at = LEAST(next_due_at, now()) WHERE resident_id = \(resident)", logger: logger
            )
        }
    }

    /// A home visit recorded.
    struct RecordedVisit: Codable {
        var id: UUID
        var needId: UUID?
    }

    /// Logs a home visit with its assessment; it counts as a follow-up done, and a need
    /// found on it is identified like one found on a call.
    func recordVisit(
        _ visit: HomeVisit, resident: UUID, by visitor: String, area: AreaCode, careLevel: CareLevel
    ) async throws -> RecordedVisit {
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO outreach_visits (id, resident_id, visitor, assessment, notes)
            VALUES (\(id), \(resident), \(visitor), \(visit.assessment.canonicalText)::jsonb, \(visit.notes))
            """,
            logger: logger
        )
        try await recordCall(
            resident: resident, contact: nil, caller: visitor, kind: "visit", outcome: "visited", note: nil, area: area,
            careLevel: careLevel
        )
        var needID: UUID?
        if let need = visit.need {
            needID = try await NeedStore(connection: connection, logger: logger)
                .identify(need, resident: resident, compound: area, foundBy: visitor)
        }
        return RecordedVisit(id: id, needId: needID)
    }

    /// Outcomes in which someone spoke with the resident.
    static func reached(_ outcome: String) -> Bool {
        outcome.hasPrefix("reached") || outcome == "needs-escalation"
    }

    /// A follow-up was done now: the next one falls due by the cadence, and each fulfilled
    /// need it answered is announced, so intake marks that work order followed up.
    func done(_ resident: UUID, careLevel: CareLevel, area: AreaCode, now: Date = Date()) async throws {
        let pending =
            try await connection.query(
                "SELECT pending_need_ids FROM outreach_followups WHERE resident_id = \(resident) FOR UPDATE", logger: logger
            ).decode([UUID].self).collectAll().first ?? []
        try await connection.query(
            """
            INSERT INTO outreach_followups (resident_id, next_due_at, last_done_at) VALUES (\(resident), \(FollowUpCadence.next(after: now, level: careLevel)), \(now))
            ON CONFLICT (resident_id) DO UPDATE SET next_due_at = EXCLUDED.next_due_at, last_done_at = EXCLUDED.last_done_at, pending_need_ids = '{}'
            """,
            logger: logger
        )
        let requests = try await connection.query(
            "SELECT id, request_id FROM outreach_needs WHERE id = ANY(\(pending)) AND request_id IS NOT NULL ORDER BY id", logger: logger
        ).decode((UUID, UUID).self).collectAll()
        let events =
            requests.isEmpty
            ? [OutreachEvents.followUpCompleted(resident: resident, compound: area, need: nil)]
            : requests.map { OutreachEvents.followUpCompleted(resident: resident, compound: area, need: (id: $0.0, request: $0.1)) }
        try await Outbox.append(events, on: connection, logger: logger)
    }

    /// A need of the resident was fulfilled at `fulfilled`: call them back by the next day
    /// (电话后续跟进), and announce the need's work order as followed up when that is done.
    func scheduleAfterFulfilment(of need: UUID, resident: UUID, fulfilled: Date) async throws {
        let due = FollowUpCadence.afterFulfilment(at: fulfilled, currentlyDue: nil)
        try await connection.query(
            """
            INSERT INTO outreach_followups (resident_id, next_due_at, pending_need_ids) VALUES (\(resident), \(due), ARRAY[\(need)]::uuid[])
            ON CONFLICT (resident_id) DO UPDATE SET next_due_at = LEAST(outreach_followups.next_due_at, EXCLUDED.next_due_at),
                pending_need_ids = (SELECT array_agg(DISTINCT n) FROM unnest(outreach_followups.pending_need_ids || EXCLUDED.pending_need_ids) AS n)
            """,
            logger: logger
        )
    }
}
