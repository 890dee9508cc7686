import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// One line of the hotline log.
struct HotlineEntry: Codable {
    var id: UUID
    var cursor: Int64
    var line: String
    var topic: String
    var durationSeconds: Int
    var referral: String?
    var anonymous: Bool
    var residentId: UUID?
    var area: String
    var takenBy: String
    var at: Date
}

/// The SQL of the hotline log, in the caller's transaction.
struct HotlineStore {
    let connection: PostgresConnection
    let logger: Logger

    func log(_ call: HotlineCall, takenBy operator: String) async throws -> UUID {
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO outreach_hotline_calls (id, line, topic, duration_seconds, referral, anonymous, resident_id, area, taken_by)
            VALUES (\(id), \(call.line.rawValue), \(call.topic), \(call.durationSeconds), \(call.referral), \(call.anonymous),
                    \(call.resident), \(call.area.rawValue), \(`operator`))
            """,
            logger: logger
        )
        return id
    }
}

/// The hotline log as staff page through it.
struct HotlineQueries {
    let client: PostgresClient
    let logger: Logger

    func list(_ query: ListQuery) async throws -> [HotlineEntry] {
        var entries: [HotlineEntry] = []
        for try await row in try await client.query(
            query.sql(
                columns: "id, seq, line, topic, duration_seconds, referral, anonymous, resident_id, area, taken_by, at",
                from: "outreach_hotline_calls", areaColumn: "area", statusColumn: nil
            ),
            logger: logger
        ).decode((UUID, Int64, String, String, Int, String?, Bool, UUID?, String, String, Date).self) {
            entries.append(
                HotlineEntry(
                    id: row.0, cursor: row.1, line: row.2, topic: row.3, durationSeconds: row.4, referral: row.5, anonymous: row.6,
                    residentId: row.7, area: row.8, takenBy: row.9, at: row.10
                ))
        }
        return entries
    }
}
