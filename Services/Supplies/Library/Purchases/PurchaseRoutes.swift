import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Errand purchases (`/v1/purchases`): quote, the resident's confirmation, purchase with the
/// amount paid and who paid, delivery, reimbursement and who is paid back — each step kept in
/// the task's history; listed by area, status or work order (`GET /v1/purchases?requestId=`).
struct PurchaseRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/purchases") { request, context in try await create(request, context) }
        router.get("/v1/purchases") { request, _ in try await list(request) }
        router.post("/v1/purchases/{id}/actions") { request, context in try await act(request, context) }
        router.get("/v1/purchases/{id}") { request, context in try await show(request, context) }
    }

    private func create(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let (form, raw) = try await request.readJSON(as: PurchaseForm.self, context: context)
        let purchase = try form.validated()
        try Scope.require(access, covers: purchase.area)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let opened = try await PurchaseStore(connection: connection, logger: dependencies.logger).open(purchase, by: access)
            return try StoredResponse(status: .created, json: opened)
        }
    }

    private func act(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let id = try context.requireUUID("id", what: "purchase")
        let (form, raw) = try await request.readJSON(as: PurchaseActionForm.self, context: context)
        let step = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let purchase = try await PurchaseStore(connection: connection, logger: dependencies.logger).apply(step, to: id, by: access)
            return try StoredResponse(json: purchase)
        }
    }

    /// The purchases of the caller's area (or `area` within it), `status` and `requestId`
    /// filtering, a page at a time: how a station finds the purchase of a work order.
    private func list(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let query = try ListQuery(request, access: access, statuses: ErrandPurchase.Status.self)
        let workOrder = try request.uri.queryParameters["requestId"].map { text throws(ProblemDetails) -> UUID in
            guard let id = UUID(uuidString: String(text)) else {
                throw ProblemDetails.validation([.init(field: "requestId", message: "must be a work order's id (a UUID)")])
            }
            return id
        }
        let items = try await dependencies.client.withConnection { connection in
            try await PurchaseStore(connection: connection, logger: dependencies.logger).list(query, request: workOrder)
        }
        return try JSONResponse.make(Page(items: items, limit: query.limit, cursor: \.cursor))
    }

    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let id = try context.requireUUID("id", what: "purchase")
        let purchase = try await dependencies.client.withConnection { connection in
            try await PurchaseStore(connection: connection, logger: dependencies.logger).read(id)
        }
        guard let purchase, let area = AreaCode(purchase.area) else { throw ProblemDetails(status: .notFound, detail: "No such purchase.") }
        try Scope.requireVisible(access, area, what: "purchase")
        return try JSONResponse.make(purchase)
    }
}
