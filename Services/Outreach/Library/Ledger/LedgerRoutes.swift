import Foundation
import Hummingbird
import Models
import ServiceKit

/// The daily work ledger (工作台账, `GET /v1/ledger?area=&date=`): per area and day, calls made
/// and reached, needs found, escalations, follow-ups done, and follow-ups overdue now.
struct LedgerRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/ledger") { request, _ in try await ledger(request) }
    }

    private func ledger(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let day = try LedgerDay(request, access: access)
        try Scope.require(access, covers: day.area)
        let queries = LedgerQueries(client: dependencies.client, logger: dependencies.logger)
        let ledger = try await queries.ledger(area: day.area, date: day.date, from: day.start)
        return try JSONResponse.make(ledger)
    }
}
