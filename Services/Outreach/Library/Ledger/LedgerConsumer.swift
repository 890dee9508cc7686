import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import Store

/// Builds the street's daily ledger (台账) from the other services' events, never from their
/// tables: each event that counts (``LedgerCounting``) appends one row to
/// `outreach_ledger_entries` in the transaction that records it in the inbox, so it counts
/// exactly once across replays, restarts and replicas. Rows are only appended, never
/// updated, so the topics followed side by side never wait on one another; the event id is
/// the row's key as well, a second guard against counting twice.
struct LedgerConsumer: EventConsumer {
    let inbox = "outreach.ledger"
    let prefixes = LedgerCounting.topics
    let endpoints: BusEndpoints
    let client: PostgresClient
    let logger: Logger

    func apply(_ event: EventEnvelope, on connection: PostgresConnection) async throws {
        guard let entry = LedgerCounting.entry(for: event) else { return }
        try await connection.query(
            """
            INSERT INTO outreach_ledger_entries (event_id, measure, community, day, amount)
            VALUES (\(event.id), \(entry.measure.rawValue), \(entry.community.rawValue), \(entry.day)::date, \(entry.amount))
            ON CONFLICT (event_id, measure) DO NOTHING
            """,
            logger: logger
        )
    }
}
