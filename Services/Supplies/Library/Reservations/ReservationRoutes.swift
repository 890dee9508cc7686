import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// Reservations against work orders (`/v1/reservations`): a dispatcher or station worker
/// promises stock to a request; cancelling releases it. Idempotent by `Idempotency-Key`.
struct ReservationRoutes {
    let dependencies: ServiceDependencies

    struct ReserveInput: Decodable {
        var requestId: UUID?
        var depotId: UUID?
        var itemId: UUID?
        var quantity: Int?
    }

    struct ReleaseInput: Decodable {
        var reason: String?
    }

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
        let (input, raw) = try await request.readJSON(as: ReserveInput.self, context: context)
        var validator = FieldValidator()
        let depot = validator.required(input.depotId, "depotId")
        let item = validator.required(input.itemId, "itemId")
        let quantity = validator.range(input.quantity, "quantity", 1...100_000)
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let area = try await DepotAccess(connection: connection, logger: dependencies.logger).require(depot!, access, field: "depotId")
            if let request = input.requestId {
                try await WorkOrders(connection: connection, logger: dependencies.logger).requireVisible(request, access, field: "requestId")
            }
            let reservation = try await ReservationStore(connection: connection, logger: dependencies.logger)
                .reserve(request: input.requestId, depot: depot!, area: area, item: item!, quantity: quantity!, actor: access.subject)
            return try StoredResponse(status: .created, json: Answer(reservation))
        }
    }

    private func release(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such reservation.") }
        let (input, raw) = try await request.readJSON(as: ReleaseInput.self, context: context)
        var validator = FieldValidator()
        let reason = validator.text(input.reason, "reason", maxLength: 500)
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = ReservationStore(connection: connection, logger: dependencies.logger)
            guard var reservation = try await store.lock(id) else { throw ProblemDetails(status: .notFound, detail: "No such reservation.") }
            _ = try await DepotAccess(connection: connection, logger: dependencies.logger).require(reservation.depot, access)
            guard try await !store.isOnPendingStop(id) else {
                throw ProblemDetails(status: .conflict, title: "Out for delivery", detail: "This reservation is on a delivery run; record the stop (delivered or failed) instead.")
            }
            guard try await store.end(reservation, as: .released, reason: "released: \(reason!)", actor: access.subject, topic: "supplies.reservation.released") else {
                throw ProblemDetails(status: .conflict, title: "Not possible now", detail: "This reservation is already \(reservation.status.rawValue).")
            }
            reservation.status = .released
            return try StoredResponse(json: Answer(reservation))
        }
    }

    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such reservation.") }
        let reservation = try await dependencies.client.withConnection { connection -> Reservation? in
            guard let reservation = try await connection.query(
                "SELECT id, request_id, depot_id, item_id, quantity, status FROM reservations WHERE id = \(id)", logger: dependencies.logger
            ).decode((UUID, UUID?, UUID, UUID, Int, String).self).collectAll().first.map({ row in
                Reservation(id: row.0, request: row.1, depot: row.2, item: row.3, quantity: row.4, status: Reservation.Status(rawValue: row.5) ?? .held)
            }) else { return nil }
            _ = try await DepotAccess(connection: connection, logger: dependencies.logger).require(reservation.depot, access)
            return reservation
        }
        guard let reservation else { throw ProblemDetails(status: .notFound, detail: "No such reservation.") }
        return try JSONResponse.make(Answer(reservation))
    }
}
