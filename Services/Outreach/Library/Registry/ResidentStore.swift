import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of the registry, in the caller's transaction: entering a resident (their
/// follow-ups start at once), and looking one up for a write that concerns them.
struct ResidentStore {
    let connection: PostgresConnection
    let logger: Logger

    func register(_ resident: VulnerableResident) async throws -> UUID {
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO outreach_residents (id, name, id_number, birth_year, compound, address, categories, care_level, consent,
                                            contact_name, contact_phone, carer_name, notes)
            VALUES (\(id), \(resident.name), \(resident.idNumber?.value), \(resident.birthYear), \(resident.compound.rawValue),
                    \(resident.address), \(resident.categories.map(\.rawValue)), \(resident.careLevel.rawValue), \(resident.consent),
                    \(resident.contactName), \(resident.contactPhone.digits), \(resident.carerName), \(resident.notes))
            """,
            logger: logger
        )
        try await FollowUpStore(connection: connection, logger: logger).start(id)
        try await Outbox.append(OutreachEvents.residentRegistered(id, resident), on: connection, logger: logger)
        return id
    }

    /// The resident's compound, whatever their status; nil when there is no such resident.
    func compound(of resident: UUID) async throws -> AreaCode? {
        try await connection.query("SELECT compound FROM outreach_residents WHERE id = \(resident)", logger: logger)
            .decode(String.self).collectAll().first.flatMap(AreaCode.init)
    }

    /// An active resident's compound and care level; nil when there is no such active resident.
    func active(_ resident: UUID) async throws -> (compound: AreaCode, careLevel: CareLevel)? {
        guard
            let (compound, level) = try await connection.query(
                "SELECT compound, care_level FROM outreach_residents WHERE id = \(resident) AND status = 'active'", logger: logger
            ).decode((String, String).self).collectAll().first, let area = AreaCode(compound)
        else { return nil }
        return (area, CareLevel(rawValue: level) ?? .medium)
    }

    /// The whole record; nil when there is no such resident. The caller logs the read.
    func record(_ id: UUID) async throws -> ResidentRecord? {
        try await connection.query(
            """
            SELECT id, name, id_number, birth_year, compound, address, categories, care_level, consent, contact_name, contact_phone,
                   carer_name, notes, status, created_at, closed_at, closed_reason, closed_note
            FROM outreach_residents WHERE id = \(id)
            """,
            logger: logger
        ).decode(
            (
                UUID, String, String?, Int, String, String, [String], String, Bool, String, String, String?, String?, String, Date, Date?,
                String?, String?
            ).self
        )
        .collectAll().first.map { row in
            ResidentRecord(
                id: row.0, name: row.1, idNumber: row.2, birthYear: row.3, compound: row.4, address: row.5, categories: row.6,
                careLevel: row.7, consent: row.8, contactName: row.9, contactPhone: row.10, carerName: row.11, notes: row.12,
                status: row.13, createdAt: row.14, closedAt: row.15, closedReason: row.16, closedNote: row.17
            )
        }
    }
}
