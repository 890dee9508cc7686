import Foundation
import Models
import PostgresNIO
import ServiceKit

/// A contact as the database holds it, locked for the call being recorded.
struct LockedContact: Sendable {
    var id: UUID
    var resident: UUID
    var compound: AreaCode
    var careLevel: CareLevel
    var progress: ContactProgress
}

extension CampaignStore {
    /// The caller's next contact: the one they hold already (asking again renews its lease),
    /// else their own queue (due attempts, in order), else the pool — contacts whose lease
    /// ran out, and the queues of callers idle for half an hour, which the taker inherits.
    /// Rows are taken with SKIP LOCKED, so two callers asking at once never get the same
    /// contact; the database's clock decides what is due. Reading the resident's record for
    /// the call is logged like any read of the registry. Nil: nothing to call now.
    func next(in campaign: UUID, for access: AccessToken) async throws -> CampaignCall? {
        let caller = access.subject
        try await connection.query(
            """
            INSERT INTO outreach_campaign_callers (campaign_id, caller) VALUES (\(campaign), \(caller))
            ON CONFLICT (campaign_id, caller) DO UPDATE SET last_seen_at = now()
            """,
            logger: logger
        )
        guard
            let row = try await connection.query(
                """
                SELECT c.id, c.resident_id, c.status, c.attempts, c.next_attempt_at, c.claimed_by, c.claimed_until, now()
                FROM outreach_contacts c JOIN outreach_residents r ON r.id = c.resident_id
                WHERE c.campaign_id = \(campaign) AND r.compound LIKE \(access.areaPattern) AND r.status = 'active' AND r.consent
                  AND ((c.status = 'claimed' AND (c.claimed_by = \(caller) OR c.claimed_until <= now()))
                    OR (c.status = 'pending' AND c.next_attempt_at <= now() AND (c.caller = \(caller) OR c.caller IN (
                          SELECT caller FROM outreach_campaign_callers
                          WHERE campaign_id = \(campaign) AND last_seen_at < now() - interval '30 minutes'))))
                ORDER BY (c.status = 'claimed' AND c.claimed_by = \(caller)) DESC, (c.status = 'pending' AND c.caller = \(caller)) DESC,
                         c.next_attempt_at, c.seq
                LIMIT 1 FOR UPDATE OF c SKIP LOCKED
                """,
                logger: logger
            ).decode((UUID, UUID, String, Int, Date, String?, Date?, Date).self).collectAll().first
        else { return nil }
        var progress = ContactProgress(
            status: ContactProgress.Status(rawValue: row.2) ?? .pending, attempts: row.3, nextAttemptAt: row.4, claimedBy: row.5,
            claimedUntil: row.6
        )
        do throws(Refusal) {
            try progress.claim(by: caller, now: row.7)
        } catch {
            return nil
        }
        try await connection.query(
            """
            UPDATE outreach_contacts SET status = 'claimed', caller = \(caller), claimed_by = \(caller),
                   claimed_until = \(progress.claimedUntil), updated_at = now()
            WHERE id = \(row.0)
            """,
            logger: logger
        )
        guard
            let (name, contactName, phone, categories, careLevel) = try await connection.query(
                "SELECT name, contact_name, contact_phone, categories, care_level FROM outreach_residents WHERE id = \(row.1)",
                logger: logger
            ).decode((String, String, String, [String], String).self).collectAll().first
        else { return nil }
        try await RegistryReads(connection: connection, logger: logger)
            .log(resident: row.1, by: access, reason: "campaign call " + campaign.lowercasedString)
        return CampaignCall(
            contactId: row.0, residentId: row.1, name: name, contactName: contactName, contactPhone: phone, categories: categories,
            careLevel: careLevel, attempts: row.3
        )
    }

    /// The contact, locked until the transaction ends; nil when there is no such contact.
    func lockContact(_ id: UUID) async throws -> LockedContact? {
        guard
            let row = try await connection.query(
                """
                SELECT c.status, c.attempts, c.next_attempt_at, c.claimed_by, c.claimed_until, c.resident_id, r.compound, r.care_level
                FROM outreach_contacts c JOIN outreach_residents r ON r.id = c.resident_id WHERE c.id = \(id) FOR UPDATE OF c
                """,
                logger: logger
            ).decode((String, Int, Date, String?, Date?, UUID, String, String).self).collectAll().first, let compound = AreaCode(row.6)
        else { return nil }
        let progress = ContactProgress(
            status: ContactProgress.Status(rawValue: row.0) ?? .pending, attempts: row.1, nextAttemptAt: row.2, claimedBy: row.3,
            claimedUntil: row.4
        )
        let careLevel = CareLevel(rawValue: row.7) ?? .medium
        return LockedContact(id: id, resident: row.5, compound: compound, careLevel: careLevel, progress: progress)
    }

    /// Records one call on `contact` by the caller holding it (a `Refusal` otherwise): logs
    /// it as a follow-up, and opens the need or the escalation the call found.
    func record(_ call: CallOutcome, on contact: LockedContact, by caller: String) async throws -> RecordedCall {
        var progress = contact.progress
        let now = try await connection.query("SELECT now()", logger: logger).decode(Date.self).collectAll().first ?? Date()
        try progress.record(call.outcome, by: caller, now: now)
        try await connection.query(
            """
            UPDATE outreach_contacts SET status = \(progress.status.rawValue), attempts = \(progress.attempts),
                   next_attempt_at = \(progress.nextAttemptAt), claimed_by = NULL, claimed_until = NULL,
                   outcome = \(progress.outcome?.rawValue), updated_at = now()
            WHERE id = \(contact.id)
            """,
            logger: logger
        )
        try await FollowUpStore(connection: connection, logger: logger).recordCall(
            resident: contact.resident, contact: contact.id, caller: caller, kind: "campaign", outcome: call.outcome.rawValue,
            note: call.note, area: contact.compound, careLevel: contact.careLevel, finalAttempt: progress.status == .done
        )
        try await connection.query(
            """
            UPDATE outreach_campaign_callers SET last_seen_at = now()
            WHERE caller = \(caller) AND campaign_id = (SELECT campaign_id FROM outreach_contacts WHERE id = \(contact.id))
            """,
            logger: logger
        )
        var needID: UUID?
        var escalationID: UUID?
        if let need = call.need {
            needID = try await NeedStore(connection: connection, logger: logger)
                .identify(need, resident: contact.resident, compound: contact.compound, foundBy: caller)
        }
        if let target = call.escalateTo {
            escalationID = try await EscalationStore(connection: connection, logger: logger).escalate(
                resident: contact.resident, to: target, reason: call.note ?? "found on a campaign call", by: caller, area: contact.compound
            )
        }
        return RecordedCall(
            contactId: contact.id, status: progress.status.rawValue, attempts: progress.attempts,
            nextAttemptAt: progress.status == .pending ? progress.nextAttemptAt : nil, needId: needID, escalationId: escalationID
        )
    }
}
