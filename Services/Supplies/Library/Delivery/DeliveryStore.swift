import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of delivery runs: planning one over held reservations, and recording each stop,
/// which issues or releases its reservation — in the caller's transaction.
struct DeliveryStore {
    let connection: PostgresConnection
    let logger: Logger

    struct Run: Codable {
        struct Stop: Codable {
            var id: UUID
            /// 1, 2, 3…: the order the dispatcher planned the doors in.
            var position: Int
            var reservationId: UUID
            var requestId: UUID?
            var itemId: UUID
            var quantity: Int
            var status: String
        }
        var id: UUID
        var depotId: UUID
        var volunteerId: UUID
        var stops: [Stop]
    }

    var reservations: ReservationStore { ReservationStore(connection: connection, logger: logger) }

    /// Plans a run from a depot of the caller's area (422 on `depotId`) over reservations
    /// held there and on no other run (422 on `reservationIds`), and announces it.
    ///
    /// Concurrency: the reservations are locked in id order — the order every change to
    /// them takes — so a run and a release or a cancelled work order never cross.
    /// The run's volunteer reads its doors' addresses on their phone: it goes only to a
    /// verified volunteer (vetted, with a fit health declaration) of the depot's district.
    private func requireOnDuty(_ volunteer: UUID, near depot: AreaCode) async throws {
        let row = try await connection.query("SELECT status, community FROM volunteers WHERE id = \(volunteer)", logger: logger)
            .decode((String, String).self).collectAll().first
        guard let (status, community) = row, status == "verified", AreaCode(community)?.district == depot.district else {
            throw InvalidFields([
                .init(field: "volunteerId", message: "not a verified volunteer of this depot's district: a run goes to a vetted volunteer")
            ])
        }
    }

    func plan(_ run: NewRun, by access: AccessToken) async throws -> Run {
        let area = try await DepotAccess(connection: connection, logger: logger).require(run.depot, access, field: "depotId")
        try await requireOnDuty(run.volunteer, near: area)
        for id in run.reservations.sorted(by: { $0.uuidString < $1.uuidString }) {
            guard let reservation = try await reservations.lock(id), reservation.depot == run.depot, reservation.status == .held,
                try await connection.query("SELECT 1 FROM delivery_stops WHERE reservation_id = \(id)", logger: logger).collect().isEmpty
            else {
                throw InvalidFields([
                    .init(
                        field: "reservationIds",
                        message: "\(id.lowercasedString) is not a held reservation of this depot, or is already on a run"
                    )
                ])
            }
        }
        let id = UUID()
        try await Outbox.append(
            SuppliesEvents.runPlanned(id, depot: run.depot, area: area.rawValue, volunteer: run.volunteer, reservations: run.reservations),
            on: connection, logger: logger
        )
        try await connection.query(
            "INSERT INTO delivery_runs (id, depot_id, volunteer_id) VALUES (\(id), \(run.depot), \(run.volunteer))", logger: logger
        )
        for (index, reservation) in run.reservations.enumerated() {
            try await connection.query(
                "INSERT INTO delivery_stops (id, run_id, reservation_id, position) VALUES (\(UUID()), \(id), \(reservation), \(index + 1))",
                logger: logger
            )
        }
        guard let planned = try await read(id) else { throw NotFound("run") }
        return planned
    }

    /// Records a stop of a run from a depot of the caller's area (404 when there is none):
    /// delivered issues its reservation, failed puts the stock back. A stop is recorded once.
    func record(_ outcome: StopOutcome, stop: UUID, of run: UUID, by access: AccessToken) async throws -> Run {
        guard
            let (reservationID, status, depot) = try await connection.query(
                """
                SELECT s.reservation_id, s.status, r.depot_id FROM delivery_stops s JOIN delivery_runs r ON r.id = s.run_id
                WHERE s.id = \(stop) AND s.run_id = \(run) FOR UPDATE OF s
                """,
                logger: logger
            ).decode((UUID, String, UUID).self).collectAll().first
        else { throw NotFound("stop") }
        _ = try await DepotAccess(connection: connection, logger: logger).require(depot, access)
        guard status == "pending" else { throw Refusal("This stop was already recorded as \(status).", title: "Already recorded") }
        guard let reservation = try await reservations.lock(reservationID) else {
            throw NotFound("reservation")
        }
        let extra: [String: JSONValue] = ["runId": SuppliesEvents.id(run), "stopId": SuppliesEvents.id(stop)]
        let (ended, proof, failure): (Bool, String?, String?)
        switch outcome {
        case .delivered(let proofText):
            ended = try await reservations.end(
                reservation, as: .issued, reason: "delivered on run \(run.lowercasedString)", actor: access.subject,
                topic: SuppliesEvents.dispatchDelivered, extra: extra
            )
            (proof, failure) = (proofText, nil)
        case .failed(let reason):
            ended = try await reservations.end(
                reservation, as: .released, reason: "delivery failed: \(reason)", actor: access.subject,
                topic: SuppliesEvents.dispatchFailed, extra: extra
            )
            (proof, failure) = (nil, reason)
        }
        guard ended else {
            throw Refusal(
                "This stop's reservation is already \(reservation.status.rawValue); nothing left to deliver.", title: "Reservation ended"
            )
        }
        try await connection.query(
            """
            UPDATE delivery_stops SET status = \(outcome.kind.rawValue), proof = \(proof), failure = \(failure), updated_at = now()
            WHERE id = \(stop)
            """,
            logger: logger
        )
        guard let recorded = try await read(run) else { throw NotFound("run") }
        return recorded
    }

    /// The planned order of a run's stops (`s`, `delivery_stops`) joined to their
    /// reservations (`r`): by position, and for runs planned before stops had one, by the
    /// reservations' order. `row_number()` over it is the stop's position as answered.
    static let stopOrder = "s.position NULLS LAST, r.seq"

    /// The run with its stops in the planned order (``stopOrder``).
    func read(_ id: UUID) async throws -> Run? {
        guard
            let (depot, volunteer) = try await connection.query(
                "SELECT depot_id, volunteer_id FROM delivery_runs WHERE id = \(id)", logger: logger
            ).decode((UUID, UUID).self).collectAll().first
        else { return nil }
        let stops = try await connection.query(
            """
            SELECT s.id, (row_number() OVER (ORDER BY \(unescaped: Self.stopOrder)))::int, s.reservation_id, r.request_id, r.item_id,
                   r.quantity, s.status
            FROM delivery_stops s JOIN reservations r ON r.id = s.reservation_id
            WHERE s.run_id = \(id) ORDER BY \(unescaped: Self.stopOrder)
            """,
            logger: logger
        ).decode((UUID, Int, UUID, UUID?, UUID, Int, String).self).collectAll().map {
            Run.Stop(id: $0.0, position: $0.1, reservationId: $0.2, requestId: $0.3, itemId: $0.4, quantity: $0.5, status: $0.6)
        }
        return Run(id: id, depotId: depot, volunteerId: volunteer, stops: stops)
    }
}
