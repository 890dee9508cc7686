import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// What a list of the registry shows: enough to pick up the phone, nothing more (no address,
/// no ID number, the number masked).
struct ResidentListItem: Codable {
    var id: UUID
    var cursor: Int64
    var name: String
    var compound: String
    var categories: [String]
    var careLevel: String
    var contactPhone: String
    var status: String
}

/// A resident's whole record: read only with a reason, and logged.
struct ResidentRecord: Codable {
    var id: UUID
    var name: String
    var idNumber: String?
    var birthYear: Int
    var compound: String
    var address: String
    var categories: [String]
    var careLevel: String
    var consent: Bool
    var contactName: String
    var contactPhone: String
    var carerName: String?
    var notes: String?
    var status: String
    var createdAt: Date
    /// When, why (a ``ClosureReason``) and with what note the record was closed; absent while open.
    var closedAt: Date?
    var closedReason: String?
    var closedNote: String?
}

/// One line of a record's read log.
struct RecordRead: Codable {
    var at: Date
    var reader: String
    var role: String
    var reason: String
}

/// The registry's reads that log nothing: the list (no record in it) and the read log itself.
struct ResidentQueries {
    let client: PostgresClient
    let logger: Logger

    func list(_ query: ListQuery) async throws -> [ResidentListItem] {
        var items: [ResidentListItem] = []
        for try await (id, seq, name, compound, categories, careLevel, phone, status) in try await client.query(
            query.sql(
                columns: "id, seq, name, compound, categories, care_level, contact_phone, status", from: "outreach_residents",
                areaColumn: "compound"
            ),
            logger: logger
        ).decode((UUID, Int64, String, String, [String], String, String, String).self) {
            items.append(
                ResidentListItem(
                    id: id, cursor: seq, name: name, compound: compound, categories: categories, careLevel: careLevel,
                    contactPhone: MobileNumber(phone)?.masked ?? "***", status: status
                ))
        }
        return items
    }

    func compound(of resident: UUID) async throws -> AreaCode? {
        try await client.query("SELECT compound FROM outreach_residents WHERE id = \(resident)", logger: logger)
            .decode(String.self).collectAll().first.flatMap(AreaCode.init)
    }

    /// Who read the record, when and why, oldest first.
    func reads(of resident: UUID) async throws -> [RecordRead] {
        var entries: [RecordRead] = []
        for try await (at, reader, role, reason) in try await client.query(
            "SELECT at, reader, role, reason FROM outreach_record_reads WHERE resident_id = \(resident) ORDER BY at, seq", logger: logger
        ).decode((Date, String, String, String).self) {
            entries.append(RecordRead(at: at, reader: reader, role: role, reason: reason))
        }
        return entries
    }
}
