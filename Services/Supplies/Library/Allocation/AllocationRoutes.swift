import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Splitting a scarce lot across the communities of an area (`POST /v1/allocation-plans`),
/// by need read from the other services' tables (``NeedQueries``). The plan is a proposal
/// with its reasoning per community; nothing is moved.
struct AllocationRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/allocation-plans") { request, context in try await plan(request, context) }
    }

    private func plan(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, _) = try await request.readJSON(as: AllocationForm.self, context: context)
        let ask = try form.validated()
        try Scope.require(access, covers: ask.area)
        let needs = try await dependencies.client.withConnection { connection in
            try await NeedQueries(connection: connection, logger: dependencies.logger).needs(under: ask.area, category: ask.category)
        }
        return try JSONResponse.make(try AllocationPlan(ask, needs: needs))
    }
}
