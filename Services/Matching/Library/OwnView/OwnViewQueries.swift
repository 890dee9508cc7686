import Foundation
import Logging
import PostgresNIO

/// What a volunteer sees of themself on their phone: the offers waiting for their answer and
/// the tasks they hold. Their shifts and hours are read as the station reads them
/// (``RosterQueries``, ``HoursQueries``), for their own id only.
struct OwnViewQueries {
    let client: PostgresClient
    let logger: Logger

    struct Offer: Codable, Sendable {
        var requestId: UUID
        var compound: String
        var category: String
        var urgency: String
        /// `offering`: waiting for their answer until `offerExpiresAt`; `assigned`: a task they hold.
        var status: String
        var offerExpiresAt: Date?
        var since: Date
    }

    /// The offers and tasks `volunteer` holds now, tasks first, then offers by when they lapse.
    func offers(of volunteer: UUID) async throws -> [Offer] {
        try await client.query(
            """
            SELECT request_id, compound, category, urgency, status, offer_expires_at, moved_at FROM dispatches
            WHERE holder = \(volunteer) AND status IN ('offering', 'assigned')
            ORDER BY status = 'offering', offer_expires_at, created_at LIMIT 100
            """,
            logger: logger
        ).decode((UUID, String, String, String, String, Date?, Date).self).collectAll().map {
            Offer(
                requestId: $0.0, compound: $0.1, category: $0.2, urgency: $0.3, status: $0.4, offerExpiresAt: $0.5, since: $0.6)
        }
    }
}
