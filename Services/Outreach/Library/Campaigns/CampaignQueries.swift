import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// The reads of call campaigns, outside any write: a campaign's progress.
struct CampaignQueries {
    let client: PostgresClient
    let logger: Logger

    /// The campaign's title and area; nil when there is no such campaign.
    func header(_ id: UUID) async throws -> (title: String, area: AreaCode)? {
        guard
            let (title, area) = try await client.query("SELECT title, area FROM outreach_campaigns WHERE id = \(id)", logger: logger)
                .decode((String, String).self).collectAll().first
        else { return nil }
        return AreaCode(area).map { (title, $0) }
    }

    /// Progress per caller (only `onlyCaller`'s row when given) and the outcomes so far.
    func progress(_ id: UUID, title: String, area: AreaCode, onlyCaller: String?) async throws -> CampaignProgress {
        let only = onlyCaller ?? ""
        var callers: [CampaignProgress.Caller] = []
        var outcomes: [String: Int] = [:]
        for try await (caller, contacts, done, pending) in try await client.query(
            """
            SELECT caller, count(*)::int, count(*) FILTER (WHERE status = 'done')::int, count(*) FILTER (WHERE status <> 'done')::int
            FROM outreach_contacts WHERE campaign_id = \(id) AND (\(only) = '' OR caller = \(only)) GROUP BY caller ORDER BY caller
            """,
            logger: logger
        ).decode((String, Int, Int, Int).self) {
            callers.append(.init(caller: caller, contacts: contacts, done: done, pending: pending))
        }
        for try await (outcome, count) in try await client.query(
            "SELECT outcome, count(*)::int FROM outreach_contacts WHERE campaign_id = \(id) AND outcome IS NOT NULL GROUP BY outcome",
            logger: logger
        ).decode((String, Int).self) {
            outcomes[outcome] = count
        }
        return CampaignProgress(
            id: id, title: title, area: area.rawValue, contacts: callers.reduce(0) { $0 + $1.contacts },
            done: callers.reduce(0) { $0 + $1.done }, outcomes: outcomes, callers: callers
        )
    }
}
