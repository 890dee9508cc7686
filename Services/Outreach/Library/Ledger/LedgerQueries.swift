import Foundation
import Logging
import Models
import PostgresNIO

/// One area's day in the work ledger (工作台账).
struct Ledger: Codable {
    var area: String
    var date: String
    var callsMade: Int
    var reached: Int
    var needsFound: Int
    var escalations: Int
    var followUpsDone: Int
    /// Overdue at the time of asking (the due list has no history).
    var followUpsOverdueNow: Int
    var hotlineCalls: Int
}

/// The ledger's counts, straight from the logs of calls, needs, escalations and hotlines.
struct LedgerQueries {
    let client: PostgresClient
    let logger: Logger

    /// The counts for `area` over the day starting at `from` (`date` as asked, for the answer).
    func ledger(area: AreaCode, date: String, from: Date) async throws -> Ledger {
        let pattern = area.rawValue + "%"
        let to = from.addingTimeInterval(86_400)
        let rows = try await client.query(
            """
            SELECT
              (SELECT count(*) FROM outreach_calls WHERE area LIKE \(pattern) AND at >= \(from) AND at < \(to) AND kind <> 'visit')::int,
              (SELECT count(*) FROM outreach_calls WHERE area LIKE \(pattern) AND at >= \(from) AND at < \(to)
                 AND (outcome LIKE 'reached%' OR outcome = 'needs-escalation'))::int,
              (SELECT count(*) FROM outreach_needs n JOIN outreach_residents r ON r.id = n.resident_id
                 WHERE r.compound LIKE \(pattern) AND n.created_at >= \(from) AND n.created_at < \(to))::int,
              (SELECT count(*) FROM outreach_escalations WHERE area LIKE \(pattern) AND at >= \(from) AND at < \(to))::int,
              (SELECT count(*) FROM outreach_calls WHERE area LIKE \(pattern) AND at >= \(from) AND at < \(to)
                 AND (outcome LIKE 'reached%' OR outcome = 'needs-escalation' OR kind = 'visit'))::int,
              (SELECT count(*) FROM outreach_followups f JOIN outreach_residents r ON r.id = f.resident_id
                 WHERE r.compound LIKE \(pattern) AND r.status = 'active' AND f.next_due_at < now() - interval '6 hours')::int,
              (SELECT count(*) FROM outreach_hotline_calls WHERE area LIKE \(pattern) AND at >= \(from) AND at < \(to))::int
            """,
            logger: logger
        ).decode((Int, Int, Int, Int, Int, Int, Int).self).collectAll()
        let row = rows.first ?? (0, 0, 0, 0, 0, 0, 0)
        return Ledger(
            area: area.rawValue, date: date, callsMade: row.0, reached: row.1, needsFound: row.2, escalations: row.3,
            followUpsDone: row.4, followUpsOverdueNow: row.5, hotlineCalls: row.6
        )
    }
}
