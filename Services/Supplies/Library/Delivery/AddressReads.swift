import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Supplies' read log of residents' addresses: which volunteer read which stop's address,
/// and when. Every read that shows an address writes its line here in the transaction that
/// reads, so there is no read without its line; the station sees them
/// (`/v1/delivery-runs/{id}/address-reads`). Lines carry ids only.
struct AddressReads {
    let connection: PostgresConnection
    let logger: Logger

    struct Read: Codable {
        var stopId: UUID
        var requestId: UUID
        var reader: String
        var role: String
        var at: Date
    }

    func log(run: UUID, stops: [(stop: UUID, request: UUID)], by access: AccessToken) async throws {
        guard !stops.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO supplies_address_reads (run_id, stop_id, request_id, reader, role)
            SELECT \(run), stop, request, \(access.subject), \(access.role.rawValue)
            FROM unnest(\(stops.map(\.stop))::uuid[], \(stops.map(\.request))::uuid[]) AS t (stop, request)
            """,
            logger: logger
        )
    }

    /// The reads of the run's addresses, oldest first (at most 1,000).
    func reads(of run: UUID) async throws -> [Read] {
        try await connection.query(
            """
            SELECT stop_id, request_id, reader, role, at FROM supplies_address_reads WHERE run_id = \(run) ORDER BY seq LIMIT 1000
            """,
            logger: logger
        ).decode((UUID, UUID, String, String, Date).self).collectAll().map {
            Read(stopId: $0.0, requestId: $0.1, reader: $0.2, role: $0.3, at: $0.4)
        }
    }
}
