import Foundation
import Hummingbird
import Models
import ServiceKit

/// The daily work ledger (工作台账). `GET /v1/ledger?area=&date=`: outreach's own counts for
/// an area and day — calls made and reached, needs found, escalations, follow-ups done, and
/// follow-ups overdue now. `GET /v1/ledger/daily?area=&from=&to=`: the street's ledger across
/// services, per community and day (requests filed and done, deliveries, check-ins, volunteer
/// hours, calls, visits, hotline calls), as JSON or, by `?format=csv|xlsx` or `Accept`, as a
/// file to hand on.
struct LedgerRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/ledger") { request, _ in try await ledger(request) }
        router.get("/v1/ledger/daily") { request, _ in try await daily(request) }
    }

    private func ledger(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let day = try LedgerDay(request, access: access)
        try Scope.require(access, covers: day.area)
        let queries = LedgerQueries(client: dependencies.client, logger: dependencies.logger)
        let ledger = try await queries.ledger(area: day.area, date: day.date, from: day.start)
        return try JSONResponse.make(ledger)
    }

    private func daily(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let range = try DailyLedgerRange(request, access: access)
        try Scope.require(access, covers: range.area)
        let ledger = try await DailyLedgerQueries(client: dependencies.client, logger: dependencies.logger).ledger(range)
        guard range.format != .json else { return try JSONResponse.make(ledger) }
        return DailyLedgerExport.response(ledger, as: range.format)
    }
}
