import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Delivery runs (`/v1/delivery-runs`): a volunteer takes reserved stock to several doors.
/// A delivered stop issues its reservation (the stock leaves the depot) and announces
/// `supplies.dispatch.delivered`; a failed stop puts the stock back (`…failed`). The volunteer
/// the run is planned for reads it on their phone, addresses included, every such read logged
/// (`…/{id}/address-reads`).
struct DeliveryRoutes {
    let dependencies: ServiceDependencies

    struct Reads: Codable {
        var runId: UUID
        var reads: [AddressReads.Read]
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/delivery-runs") { request, context in try await plan(request, context) }
        router.get("/v1/delivery-runs") { request, _ in try await list(request) }
        router.get("/v1/delivery-runs/{id}") { request, context in try await show(request, context) }
        router.get("/v1/delivery-runs/{id}/address-reads") { request, context in try await reads(request, context) }
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

    /// A volunteer's own runs, or the runs from depots of a station's area (`volunteerId`
    /// filtering), a page at a time, without stops or addresses.
    private func list(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher, .volunteer])
        let parameters = request.uri.queryParameters
        var validator = FieldValidator()
        let after = parameters["after"].map { Int64(String($0)) ?? -1 } ?? 0
        if after < 0 { validator.fail("after", "must be the `next` of the previous page") }
        let limit = validator.range(parameters["limit"].map { Int(String($0)) ?? 0 } ?? 50, "limit", 1...500) ?? 50
        var volunteer = parameters["volunteerId"].flatMap { UUID(uuidString: String($0)) }
        if parameters["volunteerId"] != nil && volunteer == nil { validator.fail("volunteerId", "must be a volunteer's id (a UUID)") }
        try validator.check()
        var pattern = access.areaPattern
        if access.role == .volunteer {
            guard let own = UUID(uuidString: access.subject), volunteer == nil || volunteer == own else {
                throw ProblemDetails(status: .forbidden, detail: "A volunteer reads only their own runs.")
            }
            (volunteer, pattern) = (own, "%")
        }
        let (runVolunteer, areaPattern) = (volunteer, pattern)
        let items = try await dependencies.client.withConnection { connection in
            try await VolunteerRuns(connection: connection, logger: dependencies.logger).list(
                volunteer: runVolunteer, areaPattern: areaPattern, after: after, limit: limit)
        }
        return try JSONResponse.make(Page(items: items, limit: limit, cursor: \.cursor))
    }

    /// The volunteer the run is planned for reads it with the addresses still to visit (each
    /// read logged, never cached); anyone else of that role gets 404. Station staff read it
    /// without addresses.
    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher, .volunteer])
        let id = try context.requireUUID("id", what: "run")
        if access.role == .volunteer {
            let run = try await dependencies.client.transaction(logger: dependencies.logger) { connection in
                try await VolunteerRuns(connection: connection, logger: dependencies.logger).read(id, by: access)
            }
            guard let run else { throw ProblemDetails(status: .notFound, detail: "No such run of yours.") }
            var response = try JSONResponse.make(run)
            response.headers[.cacheControl] = "no-store"
            return response
        }
        let run = try await dependencies.client.withConnection { connection -> DeliveryStore.Run? in
            guard let run = try await DeliveryStore(connection: connection, logger: dependencies.logger).read(id) else { return nil }
            _ = try await DepotAccess(connection: connection, logger: dependencies.logger).require(run.depotId, access)
            return run
        }
        guard let run else { throw ProblemDetails(status: .notFound, detail: "No such run.") }
        return try JSONResponse.make(run)
    }

    private func reads(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let id = try context.requireUUID("id", what: "run")
        let reads = try await dependencies.client.withConnection { connection -> [AddressReads.Read]? in
            guard let run = try await DeliveryStore(connection: connection, logger: dependencies.logger).read(id) else { return nil }
            _ = try await DepotAccess(connection: connection, logger: dependencies.logger).require(run.depotId, access)
            return try await AddressReads(connection: connection, logger: dependencies.logger).reads(of: id)
        }
        guard let reads else { throw ProblemDetails(status: .notFound, detail: "No such run.") }
        return try JSONResponse.make(Reads(runId: id, reads: reads))
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
