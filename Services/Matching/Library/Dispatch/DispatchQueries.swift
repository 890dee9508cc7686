import Foundation
import Logging
import PostgresNIO

/// Reading dispatches. The dispatcher's board answers "is every request being served, and
/// who is on it?": the dispatches still open within the caller's area, oldest first.
struct DispatchQueries {
    let client: PostgresClient
    let logger: Logger

    struct BoardRow: Codable, Sendable {
        var requestId: UUID
        var compound: String
        var category: String
        var urgency: String
        var status: String
        var holder: UUID?
        var offerExpiresAt: Date?
        var ageMinutes: Int
        var minutesSinceLastMovement: Int
    }

    /// At most 500 rows: a board longer than that is read by area, not scrolled.
    func board(areaPattern: String) async throws -> [BoardRow] {
        var rows: [BoardRow] = []
        for try await row in try await client.query(
            """
            SELECT request_id, compound, category, urgency, status, holder, offer_expires_at,
                   (extract(epoch FROM now() - created_at) / 60)::int, (extract(epoch FROM now() - moved_at) / 60)::int
            FROM dispatches WHERE compound LIKE \(areaPattern) AND status IN ('offering', 'assigned', 'unassigned')
            ORDER BY created_at LIMIT 500
            """,
            logger: logger
        ).decode((UUID, String, String, String, String, UUID?, Date?, Int, Int).self) {
            rows.append(
                BoardRow(
                    requestId: row.0, compound: row.1, category: row.2, urgency: row.3, status: row.4, holder: row.5,
                    offerExpiresAt: row.6, ageMinutes: row.7, minutesSinceLastMovement: row.8
                ))
        }
        return rows
    }
}
