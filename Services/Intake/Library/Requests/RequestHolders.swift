import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// Who holds each request's task, as matching reports it, and the read of the task's
/// details by that volunteer — the only volunteer who may read them, only while they hold
/// it, every read logged (`request_task_reads`) in the transaction that reads.
///
/// Matching's topics of one request may arrive out of order (a replay serves topic by
/// topic), so each change carries the moment matching announced it and an older one never
/// overwrites a newer: a replayed `assigned` cannot give a completed task back.
struct RequestHolders {
    let connection: PostgresConnection
    let logger: Logger

    /// What a volunteer needs to do the task: the kind of help, where, and for a medicine
    /// run the drug and dose. No name or phone number: the station calls the resident.
    struct Task: Codable, Sendable {
        var requestId: UUID
        var category: String
        var urgency: String
        var zone: String
        var compound: String
        var address: String
        var details: JSONValue
        var status: String
    }

    struct Read: Codable, Sendable {
        var reader: String
        var role: String
        var at: Date
    }

    /// The holder a matching topic implies: `.some(volunteer)` when one accepted, `.some(nil)`
    /// when nobody holds the task any more (offered anew, given up, completed, released),
    /// `nil` for topics that say nothing about it.
    static func holder(after topic: String, data: JSONValue) -> UUID?? {
        switch topic {
        case "matching.request.assigned":
            guard let volunteer = data["volunteerId"]?.stringValue.flatMap(UUID.init(uuidString:)) else { return nil }
            return .some(volunteer)
        case "matching.request.offered", "matching.request.unassigned", "matching.task.completed", "matching.request.released":
            return .some(nil)
        default:
            return nil
        }
    }

    /// Records `volunteer` (or nobody) as the holder of `request` as of `at`, unless a later
    /// change is already recorded.
    func follow(_ request: UUID, holder volunteer: UUID?, at: Date) async throws {
        try await connection.query(
            """
            INSERT INTO request_holders (request_id, volunteer_id, changed_at) VALUES (\(request), \(volunteer), \(at))
            ON CONFLICT (request_id) DO UPDATE SET volunteer_id = EXCLUDED.volunteer_id, changed_at = EXCLUDED.changed_at
            WHERE request_holders.changed_at <= EXCLUDED.changed_at
            """,
            logger: logger
        )
    }

    /// The task of `request` for `access` (a volunteer), logged as read; `nil` unless they
    /// hold it now and the request is still open to work.
    func read(_ request: UUID, by access: AccessToken) async throws -> Task? {
        guard let volunteer = UUID(uuidString: access.subject) else { return nil }
        guard
            let row = try await connection.query(
                """
                SELECT r.id, r.category, r.urgency, r.zone, r.compound, r.address, r.details::text, r.status
                FROM requests r JOIN request_holders h ON h.request_id = r.id
                WHERE r.id = \(request) AND h.volunteer_id = \(volunteer)
                  AND r.status NOT IN ('completed', 'followed-up', 'cancelled', 'merged')
                """,
                logger: logger
            ).decode((UUID, String, String, String, String, String, String, String).self).collectAll().first
        else { return nil }
        try await connection.query(
            "INSERT INTO request_task_reads (request_id, reader, role) VALUES (\(request), \(access.subject), \(access.role.rawValue))",
            logger: logger
        )
        return Task(
            requestId: row.0, category: row.1, urgency: row.2, zone: row.3, compound: row.4, address: row.5,
            details: (try? JSONParser.parse(Array(row.6.utf8))) ?? .object([:]), status: row.7
        )
    }

    /// The request's compound, or `nil` when there is no such request.
    func compound(of request: UUID) async throws -> AreaCode? {
        try await connection.query("SELECT compound FROM requests WHERE id = \(request)", logger: logger)
            .decode(String.self).collectAll().first.flatMap(AreaCode.init)
    }

    /// Every read of the request's task details, oldest first.
    func reads(of request: UUID) async throws -> [Read] {
        try await connection.query(
            "SELECT reader, role, at FROM request_task_reads WHERE request_id = \(request) ORDER BY seq LIMIT 1000", logger: logger
        ).decode((String, String, Date).self).collectAll().map { Read(reader: $0.0, role: $0.1, at: $0.2) }
    }
}
