import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// Reading rosters: a volunteer's shifts, or a post's (a site's), within the caller's area.
/// Cancelled assignments are left out: the roster says who is coming.
struct RosterQueries {
    let client: PostgresClient
    let logger: Logger

    struct Entry: Codable, Sendable {
        var assignmentId: UUID
        var shiftId: UUID
        var postId: UUID
        var post: String
        var area: String
        var role: String
        var startsAt: Date
        var endsAt: Date
        var status: String
        var volunteerId: UUID
    }

    /// Whose roster: one volunteer's, or one post's.
    enum Subject: Sendable {
        case volunteer(UUID)
        case post(UUID)
    }

    /// The day of `?date=YYYY-MM-DD`, in China Standard Time as stations plan them, or every
    /// day when there is no date.
    static func days(_ date: String?) throws(ProblemDetails) -> Range<Date> {
        guard let date else { return Date.distantPast..<Date.distantFuture }
        guard let start = Timestamp.chinaMidnight(date) else {
            throw ProblemDetails.validation([.init(field: "date", message: "must be a day, YYYY-MM-DD")])
        }
        return start..<start.addingTimeInterval(86_400)
    }

    func entries(of subject: Subject, within areaPattern: String, starting days: Range<Date>) async throws -> [Entry] {
        let (column, id): (String, UUID)
        switch subject {
        case .volunteer(let volunteer): (column, id) = ("a.volunteer_id", volunteer)
        case .post(let post): (column, id) = ("p.id", post)
        }
        return try await client.query(
            """
            SELECT a.id, s.id, p.id, p.name, p.area, p.role, s.starts_at, s.ends_at, a.status, a.volunteer_id
            FROM roster_assignments a JOIN shifts s ON s.id = a.shift_id JOIN posts p ON p.id = s.post_id
            WHERE \(unescaped: column) = \(id) AND a.status <> 'cancelled' AND p.area LIKE \(areaPattern)
              AND s.starts_at >= \(days.lowerBound) AND s.starts_at < \(days.upperBound)
            ORDER BY s.starts_at
            """,
            logger: logger
        ).decode((UUID, UUID, UUID, String, String, String, Date, Date, String, UUID).self).collectAll().map { row in
            Entry(
                assignmentId: row.0, shiftId: row.1, postId: row.2, post: row.3, area: row.4, role: row.5,
                startsAt: row.6, endsAt: row.7, status: row.8, volunteerId: row.9
            )
        }
    }
}
