import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Splitting a scarce lot across the communities of an area (`POST /v1/allocation-plans`),
/// by need read from the tables where it is kept (``NeedQueries``). Without a depot the plan
/// is a preview with its reasoning per community and nothing is kept; with a depot and an
/// item it is kept, approved (`…/{id}/approve`) and carried out as transfers in one action
/// (`…/{id}/transfers`).
struct AllocationRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/allocation-plans") { request, context in try await plan(request, context) }
        router.get("/v1/allocation-plans/{id}") { request, context in try await show(request, context) }
        router.post("/v1/allocation-plans/{id}/approve") { request, context in try await approve(request, context) }
        router.post("/v1/allocation-plans/{id}/transfers") { request, context in try await transfer(request, context) }
    }

    private func plan(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: AllocationForm.self, context: context)
        let ask = try form.validated()
        try Scope.require(access, covers: ask.area)
        guard let source = ask.source else {
            let needs = try await dependencies.client.withConnection { connection in
                try await NeedQueries(connection: connection, logger: dependencies.logger).needs(under: ask.area, category: ask.category)
            }
            return try JSONResponse.make(try AllocationPlan(ask, quantity: ask.quantity ?? 0, needs: needs))
        }
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let saved = try await AllocationPlanStore(connection: connection, logger: dependencies.logger).propose(
                ask, from: source, by: access)
            return try StoredResponse(status: .created, json: saved)
        }
    }

    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let id = try context.requireUUID("id", what: "allocation plan")
        let saved = try await dependencies.client.withConnection { connection in
            try await AllocationPlanStore(connection: connection, logger: dependencies.logger).read(id)
        }
        guard let saved, let area = AreaCode(saved.area) else {
            throw ProblemDetails(status: .notFound, detail: "No such allocation plan.")
        }
        try Scope.requireVisible(access, area, what: "allocation plan")
        return try JSONResponse.make(saved)
    }

    private func approve(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "allocation plan")
        let body = try await request.bodyBytes(context: context)
        return try await dependencies.writes.perform(request, context: context, body: body) { connection in
            let saved = try await AllocationPlanStore(connection: connection, logger: dependencies.logger).approve(id, by: access)
            return try StoredResponse(json: saved)
        }
    }

    /// Every share's transfer, in one transaction: all of them or none.
    private func transfer(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "allocation plan")
        let body = try await request.bodyBytes(context: context)
        return try await dependencies.writes.perform(request, context: context, body: body) { connection in
            let carried = try await AllocationPlanStore(connection: connection, logger: dependencies.logger).transfer(id, by: access)
            return try StoredResponse(status: .created, json: carried)
        }
    }
}
