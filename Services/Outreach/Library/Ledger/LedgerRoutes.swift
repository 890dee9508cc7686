import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// The daily work ledger (工作台账, `GET /v1/ledger?area=&date=`): per area and day, calls made
/// and reached, needs found, escalations, follow-ups done, and follow-ups overdue now.
struct LedgerRoutes {
    let dependencies: ServiceDependencies

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

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/ledger") { request, _ in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            var validator = FieldValidator()
            let area = validator.area(request.uri.queryParameters["area"].map(String.init) ?? access.area?.rawValue, "area")
            // Days are China Standard Time days, as the stations count them.
            let dateText = request.uri.queryParameters["date"].map(String.init) ?? String(Timestamp.format(Date().addingTimeInterval(8 * 3600)).prefix(10))
            let day = Timestamp.parse(dateText + "T00:00:00+08:00")
            if day == nil { validator.fail("date", "must be a day, YYYY-MM-DD (China Standard Time)") }
            try validator.check()
            try Scope.require(access, covers: area!)
            let pattern = area!.rawValue + "%"
            let from = day!, to = day!.addingTimeInterval(86_400)
            guard let row = try await dependencies.client.query(
                """
                SELECT
                  (SELECT count(*) FROM outreach_calls WHERE area LIKE \(pattern) AND at >= \(from) AND at < \(to) AND kind <> 'visit')::int,
                  (SELECT count(*) FROM outreach_calls WHERE area LIKE \(pattern) AND at >= \(from) AND at < \(to) AND (outcome LIKE 'reached%' OR outcome = 'needs-escalation'))::int,
                  (SELECT count(*) FROM outreach_needs n JOIN outreach_residents r ON r.id = n.resident_id
                     WHERE r.compound LIKE \(pattern) AND n.created_at >= \(from) AND n.created_at < \(to))::int,
                  (SELECT count(*) FROM outreach_escalations WHERE area LIKE \(pattern) AND at >= \(from) AND at < \(to))::int,
                  (SELECT count(*) FROM outreach_calls WHERE area LIKE \(pattern) AND at >= \(from) AND at < \(to) AND (outcome LIKE 'reached%' OR outcome = 'needs-escalation' OR kind = 'visit'))::int,
                  (SELECT count(*) FROM outreach_followups f JOIN outreach_residents r ON r.id = f.resident_id
                     WHERE r.compound LIKE \(pattern) AND r.status = 'active' AND f.next_due_at < now() - interval '6 hours')::int,
                  (SELECT count(*) FROM outreach_hotline_calls WHERE area LIKE \(pattern) AND at >= \(from) AND at < \(to))::int
                """,
                logger: dependencies.logger
            ).decode((Int, Int, Int, Int, Int, Int, Int).self).collectAll().first else { throw ProblemDetails(status: .notFound, detail: "No ledger.") }
            return try JSONResponse.make(Ledger(
                area: area!.rawValue, date: dateText, callsMade: row.0, reached: row.1, needsFound: row.2, escalations: row.3,
                followUpsDone: row.4, followUpsOverdueNow: row.5, hotlineCalls: row.6
            ))
        }
    }
}
