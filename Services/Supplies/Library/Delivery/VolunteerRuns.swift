import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// Delivery runs as the volunteer they are planned for reads them on their phone: the doors
/// in the planned order, what to bring to each, and — for the doors still to be visited —
/// the address (intake's request), each read of an address logged (``AddressReads``) in the
/// transaction that reads. No name or phone number: the station calls the resident.
///
/// Anyone else, another volunteer included, reads the run as if it did not exist.
struct VolunteerRuns {
    let connection: PostgresConnection
    let logger: Logger

    struct Run: Codable {
        struct Stop: Codable {
            var id: UUID
            var position: Int
            var status: String
            var requestId: UUID?
            var itemId: UUID
            var item: String
            var unit: String
            var quantity: Int
            /// The compound's code; absent for stock held by hand, for no work order.
            var compound: String?
            /// Only while the stop is pending.
            var address: String?
        }
        var id: UUID
        var depotId: UUID
        var depot: String
        var plannedAt: Date
        var stops: [Stop]
    }

    /// A run as a list shows it: no stop, no address.
    struct Summary: Codable {
        var cursor: Int64
        var id: UUID
        var depotId: UUID
        var volunteerId: UUID
        var plannedAt: Date
        var stops: Int
        var pending: Int
    }

    /// The run `id` when it is planned for `access`'s volunteer, with the addresses of its
    /// pending stops, logged; `nil` otherwise.
    func read(_ id: UUID, by access: AccessToken) async throws -> Run? {
        guard let volunteer = UUID(uuidString: access.subject),
            let (depot, depotName, plannedAt) = try await connection.query(
                """
                SELECT r.depot_id, d.name, r.created_at FROM delivery_runs r JOIN depots d ON d.id = r.depot_id
                WHERE r.id = \(id) AND r.volunteer_id = \(volunteer)
                """,
                logger: logger
            ).decode((UUID, String, Date).self).collectAll().first
        else { return nil }
        let stops = try await connection.query(
            """
            SELECT s.id, (row_number() OVER (ORDER BY \(unescaped: DeliveryStore.stopOrder)))::int, s.status, r.request_id, r.item_id,
                   i.name, i.unit, r.quantity, q.compound, CASE WHEN s.status = 'pending' THEN q.address END
            FROM delivery_stops s JOIN reservations r ON r.id = s.reservation_id JOIN supply_items i ON i.id = r.item_id
            LEFT JOIN requests q ON q.id = r.request_id
            WHERE s.run_id = \(id) ORDER BY \(unescaped: DeliveryStore.stopOrder)
            """,
            logger: logger
        ).decode((UUID, Int, String, UUID?, UUID, String, String, Int, String?, String?).self).collectAll().map {
            Run.Stop(
                id: $0.0, position: $0.1, status: $0.2, requestId: $0.3, itemId: $0.4, item: $0.5, unit: $0.6, quantity: $0.7,
                compound: $0.8, address: $0.9)
        }
        let shown = stops.compactMap { stop in stop.address == nil ? nil : stop.requestId.map { (stop: stop.id, request: $0) } }
        try await AddressReads(connection: connection, logger: logger).log(run: id, stops: shown, by: access)
        return Run(id: id, depotId: depot, depot: depotName, plannedAt: plannedAt, stops: stops)
    }

    /// Runs after the cursor `after`, oldest first: a volunteer's own, or — for station
    /// staff — those from depots under `areaPattern`, of `volunteer` when one is given.
    func list(volunteer: UUID?, areaPattern: String, after: Int64, limit: Int) async throws -> [Summary] {
        try await connection.query(
            """
            SELECT r.seq, r.id, r.depot_id, r.volunteer_id, r.created_at, n.stops, n.pending
            FROM delivery_runs r JOIN depots d ON d.id = r.depot_id
            LEFT JOIN LATERAL (
                SELECT count(*)::int AS stops, (count(*) FILTER (WHERE s.status = 'pending'))::int AS pending
                FROM delivery_stops s WHERE s.run_id = r.id
            ) n ON true
            WHERE d.area LIKE \(areaPattern) AND (\(volunteer)::uuid IS NULL OR r.volunteer_id = \(volunteer)) AND r.seq > \(after)
            ORDER BY r.seq LIMIT \(limit)
            """,
            logger: logger
        ).decode((Int64, UUID, UUID, UUID, Date, Int, Int).self).collectAll().map {
            Summary(cursor: $0.0, id: $0.1, depotId: $0.2, volunteerId: $0.3, plannedAt: $0.4, stops: $0.5, pending: $0.6)
        }
    }
}
