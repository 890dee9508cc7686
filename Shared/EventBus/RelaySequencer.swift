import Foundation
import Logging
import PostgresNIO

/// The SQL half of the relay: gives committed, unsequenced outbox rows of one stream their
/// per-topic sequence numbers, oldest first, in one statement per batch.
///
/// There is no cursor over positions: a row with a smaller position may commit after a
/// larger one, so each batch simply takes the oldest rows that are committed and still
/// unnumbered. The topic heads move in the same statement, so numbers are gap-free.
/// Only the stream's leader calls it, on the connection that holds the leader lock.
enum RelaySequencer {
    /// Sequences up to `limit` rows of `stream`; returns them in publication order.
    static func sequenceBatch(
        stream: String, limit: Int, on connection: PostgresConnection, logger: Logger
    ) async throws -> [StoredEvent] {
        let rows = try await connection.query(
            """
            WITH batch AS (
                SELECT position, topic FROM outbox
                WHERE stream = \(stream) AND seq IS NULL
                ORDER BY position LIMIT \(limit)
                FOR UPDATE
            ), numbered AS (
                SELECT position, topic,
                       row_number() OVER (PARTITION BY topic ORDER BY position) AS rn,
                       count(*) OVER (PARTITION BY topic) AS n
                FROM batch
            ), heads AS (
                INSERT INTO topic_heads AS h (topic, stream, head)
                SELECT topic, \(stream), max(n) FROM numbered GROUP BY topic
                ON CONFLICT (topic) DO UPDATE SET head = h.head + EXCLUDED.head
                RETURNING h.topic, h.head
            )
            UPDATE outbox o
            SET seq = heads.head - numbered.n + numbered.rn, sequenced_at = now()
            FROM numbered JOIN heads ON heads.topic = numbered.topic
            WHERE o.position = numbered.position
            RETURNING o.position, o.id, o.topic, o.seq, o.stream, o.version,
                      (extract(epoch FROM o.occurred_at) * 1000)::bigint, o.key, o.area, o.correlation_id, o.data::text
            """,
            logger: logger
        )
        var sequenced: [(position: Int64, event: StoredEvent)] = []
        sequenced.reserveCapacity(limit)
        for try await row in rows.decode((Int64, UUID, String, Int64, String, Int, Int64, String, String?, UUID?, String).self) {
            let (position, id, topic, seq, stream, version, millis, key, area, correlation, data) = row
            sequenced.append((position, StoredEvent((id, topic, seq, stream, version, millis, key, area, correlation, data))))
        }
        return sequenced.sorted { $0.position < $1.position }.map(\.event)
    }

    /// The current head of every topic of `stream`, for heartbeats.
    static func heads(stream: String, on connection: PostgresConnection, logger: Logger) async throws -> [(String, Int64)] {
        var heads: [(String, Int64)] = []
        for try await row in try await connection.query(
            "SELECT topic, head FROM topic_heads WHERE stream = \(stream) ORDER BY topic", logger: logger
        ).decode((String, Int64).self) {
            heads.append(row)
        }
        return heads
    }
}
