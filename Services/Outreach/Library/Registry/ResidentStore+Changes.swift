import EventBus
import Foundation
import Models
import PostgresNIO
import ServiceKit
import Store

/// Editing, closing and reopening a record, in the caller's transaction. Each starts by
/// locking the resident's row (``lock(_:)``), so two edits of one record, or an edit and a
/// closing, run one after the other and the second sees the first; the event is appended in
/// the same transaction, ids and codes only.
extension ResidentStore {
    /// The whole record and its lifecycle, locked; nil when there is no such resident.
    func lock(_ id: UUID) async throws -> (record: ResidentRecord, lifecycle: ResidentLifecycle)? {
        guard
            try await connection.query("SELECT 1 FROM outreach_residents WHERE id = \(id) FOR UPDATE", logger: logger).collect().count == 1,
            let record = try await record(id)
        else { return nil }
        return (record, ResidentLifecycle(status: ResidentLifecycle.Status(rawValue: record.status) ?? .active))
    }

    /// Stores the edited entry and announces which fields changed (their names only); a
    /// resident moved to another compound is announced with the compound they left.
    func update(_ id: UUID, to resident: VulnerableResident, changed: [String], previousCompound: AreaCode) async throws {
        guard !changed.isEmpty else { return }
        try await connection.query(
            """
            UPDATE outreach_residents SET name = \(resident.name), id_number = \(resident.idNumber?.value), birth_year = \(resident.birthYear),
                compound = \(resident.compound.rawValue), address = \(resident.address), categories = \(resident.categories.map(\.rawValue)),
                care_level = \(resident.careLevel.rawValue), consent = \(resident.consent), contact_name = \(resident.contactName),
                contact_phone = \(resident.contactPhone.digits), carer_name = \(resident.carerName), notes = \(resident.notes),
                updated_at = now()
            WHERE id = \(id)
            """,
            logger: logger
        )
        try await Outbox.append(
            OutreachEvents.residentUpdated(id, resident, changed: changed, previousCompound: previousCompound), on: connection,
            logger: logger)
    }

    /// Closes the record. The resident leaves the due list and the overdue alarms at once
    /// (their follow-up schedule, with any follow-up owed on a fulfilled need, is dropped),
    /// and every campaign call not yet made to them is ended with the outcome
    /// `resident-closed`, so no caller is handed it; new campaigns pass them over. Needs
    /// already filed as work orders go on in intake: closing cancels no delivery on its way.
    func close(_ id: UUID, compound: AreaCode, _ closure: ResidentClosure) async throws {
        try await connection.query(
            """
            UPDATE outreach_residents SET status = 'closed', closed_at = now(), closed_reason = \(closure.reason.rawValue),
                closed_note = \(closure.note), updated_at = now()
            WHERE id = \(id)
            """,
            logger: logger
        )
        try await connection.query("DELETE FROM outreach_followups WHERE resident_id = \(id)", logger: logger)
        try await connection.query(
            """
            UPDATE outreach_contacts SET status = 'done', outcome = 'resident-closed', claimed_by = NULL, claimed_until = NULL, updated_at = now()
            WHERE resident_id = \(id) AND status <> 'done'
            """,
            logger: logger
        )
        try await Outbox.append(
            OutreachEvents.residentClosed(id, compound: compound, reason: closure.reason), on: connection, logger: logger)
    }

    /// Reopens a closed record: their follow-ups start again, the first due now, and the
    /// next campaigns include them (calls ended by the closing stay ended).
    func reopen(_ id: UUID, record: ResidentRecord) async throws {
        try await connection.query(
            """
            UPDATE outreach_residents SET status = 'active', closed_at = NULL, closed_reason = NULL, closed_note = NULL, updated_at = now()
            WHERE id = \(id)
            """,
            logger: logger
        )
        try await FollowUpStore(connection: connection, logger: logger).start(id)
        try await Outbox.append(
            OutreachEvents.residentReopened(
                id, compound: record.compound, categories: record.categories, careLevel: record.careLevel), on: connection, logger: logger)
    }
}
