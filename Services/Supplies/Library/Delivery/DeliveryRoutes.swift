import EventBus
import Foundation
import Hummingbird
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// Delivery runs (`/v1/delivery-runs`): a volunteer takes reserved stock to several doors.
/// A delivered stop issues its reservation (the stock leaves the depot) and announces
/// `supplies.dispatch.delivered`; a failed stop puts the stock back (`…failed`).
struct DeliveryRoutes {
    let dependencies: ServiceDependencies

    struct RunInput: Decodable {
        var depotId: UUID?
        var volunteerId: UUID?
        var reservationIds: [UUID]?
    }

    struct OutcomeInput: Decodable {
        var outcome: String?
        /// Delivered: what proves it (a photo's reference, who signed).
        var proof: String?
        /// Failed: why (nobody home, wrong address…).
        var reason: String?
    }

    enum Outcome: String, CaseIterable { case delivered, failed }

    struct Run: Codable {
        struct Stop: Codable { var id: UUID; var reservationId: UUID; var requestId: UUID?; var status: String }
        var id: UUID
        var depotId: UUID
        var volunteerId: UUID
        var stops: [Stop]
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/delivery-runs") { request, context in try await plan(request, context) }
        router.get("/v1/delivery-runs/{id}") { request, context in try await show(request, context) }
        router.post("/v1/delivery-runs/{id}/stops/{stopId}") { request, context in try await record(request, context) }
    }

    private func plan(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let (input, raw) = try await request.readJSON(as: RunInput.self, context: context)
        var validator = FieldValidator()
        let depot = validator.required(input.depotId, "depotId")
        let volunteer = validator.required(input.volunteerId, "volunteerId")
        let reservations = input.reservationIds ?? []
        if !(1...50).contains(reservations.count) { validator.fail("reservationIds", "a run has 1–50 stops") }
        if Set(reservations).count != reservations.count { validator.fail("reservationIds", "a reservation appears twice") }
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let logger = dependencies.logger
            _ = try await DepotAccess(connection: connection, logger: logger).require(depot!, access, field: "depotId")
            let store = ReservationStore(connection: connection, logger: logger)
            for id in reservations.sorted(by: { $0.uuidString < $1.uuidString }) {
                guard let reservation = try await store.lock(id), reservation.depot == depot!, reservation.status == .held,
                    try await connection.query("SELECT 1 FROM delivery_stops WHERE reservation_id = \(id)", logger: logger).collect().isEmpty
                else {
                    throw ProblemDetails.validation([
                        .init(field: "reservationIds", message: "\(id.uuidString.lowercased()) is not a held reservation of this depot, or is already on a run")
                    ])
                }
            }
            let run = UUID()
            try await Outbox.append(
                OutboxEvent(topic: "supplies.dispatch.planned", key: run.uuidString.lowercased(), area: try await store.area(of: depot!), data: .object([
                    "runId": SuppliesEvents.id(run), "depotId": SuppliesEvents.id(depot!), "volunteerId": SuppliesEvents.id(volunteer!),
                    "reservationIds": .array(reservations.map(SuppliesEvents.id)),
                ])),
                on: connection, logger: logger
            )
            try await connection.query("INSERT INTO delivery_runs (id, depot_id, volunteer_id) VALUES (\(run), \(depot!), \(volunteer!))", logger: logger)
            for reservation in reservations {
                try await connection.query(
                    "INSERT INTO delivery_stops (id, run_id, reservation_id) VALUES (\(UUID()), \(run), \(reservation))", logger: logger
                )
            }
            guard let answer = try await Self.run(run, on: connection, logger: logger) else { throw ProblemDetails(status: .notFound, detail: "No such run.") }
            return try StoredResponse(status: .created, json: answer)
        }
    }

    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such run.") }
        let run = try await dependencies.client.withConnection { connection -> Run? in
            guard let run = try await Self.run(id, on: connection, logger: dependencies.logger) else { return nil }
            _ = try await DepotAccess(connection: connection, logger: dependencies.logger).require(run.depotId, access)
            return run
        }
        guard let run else { throw ProblemDetails(status: .notFound, detail: "No such run.") }
        return try JSONResponse.make(run)
    }

    private func record(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        guard let runID = context.parameters.get("id", as: UUID.self), let stopID = context.parameters.get("stopId", as: UUID.self) else {
            throw ProblemDetails(status: .notFound, detail: "No such stop.")
        }
        let (input, raw) = try await request.readJSON(as: OutcomeInput.self, context: context)
        var validator = FieldValidator()
        let outcome: Outcome? = validator.oneOf(input.outcome, "outcome")
        let proof = validator.text(input.proof, "proof", maxLength: 500, optional: outcome != .delivered)
        let reason = validator.text(input.reason, "reason", maxLength: 500, optional: outcome != .failed)
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let logger = dependencies.logger
            guard let (reservationID, status, depot) = try await connection.query(
                """
                SELECT s.reservation_id, s.status, r.depot_id FROM delivery_stops s JOIN delivery_runs r ON r.id = s.run_id
                WHERE s.id = \(stopID) AND s.run_id = \(runID) FOR UPDATE OF s
                """,
                logger: logger
            ).decode((UUID, String, UUID).self).collectAll().first else { throw ProblemDetails(status: .notFound, detail: "No such stop.") }
            _ = try await DepotAccess(connection: connection, logger: logger).require(depot, access)
            guard status == "pending" else {
                throw ProblemDetails(status: .conflict, title: "Already recorded", detail: "This stop was already recorded as \(status).")
            }
            let store = ReservationStore(connection: connection, logger: logger)
            guard let reservation = try await store.lock(reservationID) else { throw ProblemDetails(status: .notFound, detail: "No such reservation.") }
            let extra: [String: JSONValue] = ["runId": SuppliesEvents.id(runID), "stopId": SuppliesEvents.id(stopID)]
            let ended = switch outcome! {
            case .delivered:
                try await store.end(reservation, as: .issued, reason: "delivered on run \(runID.uuidString.lowercased())", actor: access.subject, topic: "supplies.dispatch.delivered", extra: extra)
            case .failed:
                try await store.end(reservation, as: .released, reason: "delivery failed: \(reason!)", actor: access.subject, topic: "supplies.dispatch.failed", extra: extra)
            }
            guard ended else {
                throw ProblemDetails(status: .conflict, title: "Reservation ended", detail: "This stop's reservation is already \(reservation.status.rawValue); nothing left to deliver.")
            }
            try await connection.query(
                "UPDATE delivery_stops SET status = \(outcome!.rawValue), proof = \(proof), failure = \(reason), updated_at = now() WHERE id = \(stopID)",
                logger: logger
            )
            guard let run = try await Self.run(runID, on: connection, logger: logger) else { throw ProblemDetails(status: .notFound, detail: "No such run.") }
            return try StoredResponse(json: run)
        }
    }

    static func run(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Run? {
        guard let (depot, volunteer) = try await connection.query("SELECT depot_id, volunteer_id FROM delivery_runs WHERE id = \(id)", logger: logger)
            .decode((UUID, UUID).self).collectAll().first
        else { return nil }
        let stops = try await connection.query(
            """
            SELECT s.id, s.reservation_id, r.request_id, s.status FROM delivery_stops s JOIN reservations r ON r.id = s.reservation_id
            WHERE s.run_id = \(id) ORDER BY r.seq
            """,
            logger: logger
        ).decode((UUID, UUID, UUID?, String).self).collectAll().map { Run.Stop(id: $0.0, reservationId: $0.1, requestId: $0.2, status: $0.3) }
        return Run(id: id, depotId: depot, volunteerId: volunteer, stops: stops)
    }
}
