import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of needs, in the caller's transaction: recording one found on a call or visit,
/// with its event, and reading the resident's contact for one.
struct NeedStore {
    let connection: PostgresConnection
    let logger: Logger

    func identify(_ need: IdentifiedNeed, resident: UUID, compound: AreaCode, foundBy: String) async throws -> UUID {
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO outreach_needs (id, resident_id, category, urgency, zone, details, source, found_by)
            VALUES (\(id), \(resident), \(need.category.rawValue), \(need.urgency.rawValue), \(need.zone.rawValue),
                    \(JSONValue.object(need.details).canonicalText)::jsonb, \(need.source.rawValue), \(foundBy))
            """,
            logger: logger
        )
        let event = OutreachEvents.needIdentified(id, resident: resident, compound: compound, need)
        try await Outbox.append(event, on: connection, logger: logger)
        return id
    }

    /// What acting on the need takes, and the resident's compound; nil when there is no such
    /// need. The caller logs the read (`RegistryReads`) before answering.
    func contact(for id: UUID) async throws -> (contact: NeedContact, compound: AreaCode)? {
        guard
            let row = try await connection.query(
                """
                SELECT n.resident_id, n.request_id, n.category, n.details::text, r.name, r.compound, r.address, r.contact_name, r.contact_phone
                FROM outreach_needs n JOIN outreach_residents r ON r.id = n.resident_id WHERE n.id = \(id)
                """,
                logger: logger
            ).decode((UUID, UUID?, String, String, String, String, String, String, String).self).collectAll().first,
            let area = AreaCode(row.5)
        else { return nil }
        let contact = NeedContact(
            needId: id, residentId: row.0, requestId: row.1, category: row.2, name: row.4, compound: row.5, address: row.6,
            contactName: row.7, contactPhone: row.8, details: (try? JSONParser.parse(Array(row.3.utf8))) ?? .object([:])
        )
        return (contact, area)
    }
}
