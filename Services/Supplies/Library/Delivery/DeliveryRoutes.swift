import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Delivery runs (`/v1/delivery-runs`): a volunteer takes reserved stock to several doors.
/// A delivered stop issues its reservation (the stock leaves the depot) and announces
/// `supplies.dispatch.delivered`; a failed stop puts the stock back (`…failed`).
struct DeliveryRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/delivery-runs") { request, context in try await plan(request, context) }
        router.get("/v1/delivery-runs/{id}") { request, context in try await show(request, context) }
        router.post("/v1/delivery-runs/{id}/stops/{stopId}") { request, context in try await record(request, context) }
    }

    private func plan(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let (form, raw) = try await request.readJSON(as: RunForm.self, context: context)
        let run = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let planned = try await DeliveryStore(connection: connection, logger: dependencies.logger).plan(run, by: access)
            return try StoredResponse(status: .created, json: planned)
        }
    }

    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let id = try context.requireUUID("id", what: "run")
        let run = try await dependencies.client.withConnection { connection -> DeliveryStore.Run? in
            guard let run = try await DeliveryStore(connection: connection, logger: dependencies.logger).read(id) else { return nil }
            _ = try await DepotAccess(connection: connection, logger: dependencies.logger).require(run.depotId, access)
            return run
        }
        guard let run else { throw ProblemDetails(status: .notFound, detail: "No such run.") }
        return try JSONResponse.make(run)
    }

    private func record(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let run = try context.requireUUID("id", what: "stop")
        let stop = try context.requireUUID("stopId", what: "stop")
        let (form, raw) = try await request.readJSON(as: OutcomeForm.self, context: context)
        let outcome = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = DeliveryStore(connection: connection, logger: dependencies.logger)
            return try StoredResponse(json: try await store.record(outcome, stop: stop, of: run, by: access))
        }
    }
}
