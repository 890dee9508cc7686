import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// A need as callers and staff see it: what, how urgent, and the request it became.
struct Need: Codable {
    var id: UUID
    var residentId: UUID
    var category: String
    var urgency: String
    var zone: String
    var source: String
    var details: JSONValue
    var status: String
    var requestId: UUID?
    var createdAt: Date
}

/// What acting on a need takes — who, where, how to reach them, what to bring — and no
/// more of the registry's record (no ID number, carer, notes or categories).
struct NeedContact: Codable {
    var needId: UUID
    var residentId: UUID
    var requestId: UUID?
    var category: String
    var name: String
    var compound: String
    var address: String
    var contactName: String
    var contactPhone: String
    var details: JSONValue
}

/// The reads of needs that log nothing (no contact in them).
struct NeedQueries {
    let client: PostgresClient
    let logger: Logger

    /// The need and its resident's compound; nil when there is no such need.
    func need(_ id: UUID) async throws -> (need: Need, compound: AreaCode)? {
        guard
            let row = try await client.query(
                """
                SELECT n.id, n.resident_id, n.category, n.urgency, n.zone, n.source, n.details::text, n.status, n.request_id, n.created_at,
                       r.compound
                FROM outreach_needs n JOIN outreach_residents r ON r.id = n.resident_id WHERE n.id = \(id)
                """,
                logger: logger
            ).decode((UUID, UUID, String, String, String, String, String, String, UUID?, Date, String).self).collectAll().first,
            let area = AreaCode(row.10)
        else { return nil }
        let need = Need(
            id: row.0, residentId: row.1, category: row.2, urgency: row.3, zone: row.4, source: row.5,
            details: (try? JSONParser.parse(Array(row.6.utf8))) ?? .null, status: row.7, requestId: row.8, createdAt: row.9
        )
        return (need, area)
    }
}
