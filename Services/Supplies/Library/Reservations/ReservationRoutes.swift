import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Reservations against work orders (`/v1/reservations`): a dispatcher or station worker
/// promises stock to a request; cancelling releases it. Idempotent by `Idempotency-Key`.
///
/// A reservation without a key goes to the ``ReservationWriter`` and shares a transaction
/// with the others that arrived with it (one hot lot then takes thousands a second); one
/// with a key is written alone, beside its key's row, so a retry finds its answer.
struct ReservationRoutes {
    let dependencies: ServiceDependencies
    let writer: ReservationWriter

    struct Answer: Codable {
        var id: UUID
        var requestId: UUID?
        var depotId: UUID
        var itemId: UUID
        var quantity: Int
        var status: String

        init(_ reservation: Reservation) {
            id = reservation.id
            requestId = reservation.request
            depotId = reservation.depot
            itemId = reservation.item
            quantity = reservation.quantity
            status = reservation.status.rawValue
        }
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/reservations") { request, context in try await reserve(request, context) }
        router.post("/v1/reservations/{id}/release") { request, context in try await release(request, context) }
        router.get("/v1/reservations/{id}") { request, context in try await show(request, context) }
    }

    private func reserve(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let (form, raw) = try await request.readJSON(as: ReserveForm.self, context: context)
        let new = try form.validated()
        if request.headers[.init("Idempotency-Key")!] == nil {
            return try StoredResponse(status: .created, json: Answer(try await writer.reserve(new, by: access))).response
        }
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let reservation = try await ReservationStore(connection: connection, logger: dependencies.logger).reserve(new, by: access)
            return try StoredResponse(status: .created, json: Answer(reservation))
        }
    }

    private func release(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let id = try context.requireUUID("id", what: "reservation")
        let (form, raw) = try await request.readJSON(as: ReleaseForm.self, context: context)
        let reason = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = ReservationStore(connection: connection, logger: dependencies.logger)
            let reservation = try await store.release(id, reason: reason, by: access)
            return try StoredResponse(json: Answer(reservation))
        }
    }

    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let id = try context.requireUUID("id", what: "reservation")
        let reservation = try await dependencies.client.withConnection { connection in
            try await ReservationStore(connection: connection, logger: dependencies.logger).read(id, visibleTo: access)
        }
        guard let reservation else { throw ProblemDetails(status: .notFound, detail: "No such reservation.") }
        return try JSONResponse.make(Answer(reservation))
    }
}
