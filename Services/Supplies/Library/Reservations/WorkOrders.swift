import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// What supplies knows of work orders (intake's requests): which ended, and a lock per
/// request so a reservation and the request's cancellation never cross.
///
/// A reservation made while the cancellation is being applied would otherwise be held
/// for good; with the lock, whichever comes second sees the other.
struct WorkOrders {
    let connection: PostgresConnection
    let logger: Logger

    /// Serialises everything supplies does for one request, until the transaction ends.
    func lock(_ request: UUID) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtext(\("supplies-request:" + request.lowercasedString)))", logger: logger)
    }

    /// Takes the locks of several requests (``lock(_:)``) in one order, so two transactions
    /// that each need several never wait for each other in a circle.
    func lock(_ requests: Set<UUID>) async throws {
        guard !requests.isEmpty else { return }
        let keys = requests.map { "supplies-request:" + $0.lowercasedString }
        try await connection.query(
            """
            SELECT pg_advisory_xact_lock(h) FROM (SELECT hashtext(k) AS h FROM UNNEST(\(keys)::text[]) AS k ORDER BY 1) AS ordered
            """,
            logger: logger
        )
    }

    /// How the request ended (`cancelled`, `merged`), or `nil` while it is open.
    func ended(_ request: UUID) async throws -> String? {
        try await connection.query("SELECT how FROM supplies_ended_requests WHERE request_id = \(request)", logger: logger)
            .decode(String.self).collectAll().first
    }

    /// Which of `requests` ended (the batch form of ``ended(_:)``).
    func ended(_ requests: Set<UUID>) async throws -> Set<UUID> {
        guard !requests.isEmpty else { return [] }
        return Set(
            try await connection.query(
                "SELECT request_id FROM supplies_ended_requests WHERE request_id = ANY(\(Array(requests))::uuid[])", logger: logger
            ).decode(UUID.self).collectAll())
    }

    /// The compounds of `requests` that exist, from intake's table, in one read.
    func compounds(of requests: Set<UUID>) async throws -> [UUID: AreaCode] {
        guard !requests.isEmpty else { return [:] }
        var compounds: [UUID: AreaCode] = [:]
        for try await (id, compound) in try await connection.query(
            "SELECT id, compound FROM requests WHERE id = ANY(\(Array(requests))::uuid[])", logger: logger
        ).decode((UUID, String).self) {
            compounds[id] = AreaCode(compound)
        }
        return compounds
    }

    /// Records that the request ended; `false` when it was recorded before.
    func end(_ request: UUID, how: String) async throws -> Bool {
        try await connection.query(
            "INSERT INTO supplies_ended_requests (request_id, how) VALUES (\(request), \(how)) ON CONFLICT (request_id) DO NOTHING RETURNING 1",
            logger: logger
        ).collect().count == 1
    }

    /// The request's compound, from intake's table; 422 naming `field` when it does not
    /// exist or lies outside `access`'s area.
    func requireVisible(_ request: UUID, _ access: AccessToken, field: String) async throws {
        guard let compound = try await compounds(of: [request])[request], access.covers(compound) else {
            throw InvalidFields(field, "no such work order in your area")
        }
    }
}
