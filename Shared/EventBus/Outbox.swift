import Foundation
import Logging
import Models
import PostgresNIO

/// Writes events into the `outbox` table inside the caller's transaction.
///
/// This is the transactional-outbox half of the bus: call it with the same connection that
/// makes the state change, inside `withTransaction`, and the event is committed exactly
/// when the change is. The relay publishes it afterwards; an insert trigger wakes it.
public enum Outbox {
    /// Appends `events` in one statement, in order.
    public static func append(_ events: [OutboxEvent], on connection: PostgresConnection, logger: Logger) async throws {
        guard !events.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var ids: [UUID] = []
        var streams: [String] = []
        var topics: [String] = []
        var keys: [String] = []
        var areas: [String] = []
        var correlations: [String] = []
        var versions: [Int] = []
        var payloads: [String] = []
        for event in events {
            ids.append(event.id)
            streams.append(event.stream)
            topics.append(event.topic.rawValue)
            keys.append(event.key)
            areas.append(event.area ?? "")
            correlations.append(event.correlationId?.uuidString ?? "")
            versions.append(event.version)
            payloads.append(String(decoding: try encoder.encode(event.data), as: UTF8.self))
        }
        try await connection.query(
            """
            INSERT INTO outbox (id, stream, topic, key, area, correlation_id, version, data)
            SELECT i, s, t, k, NULLIF(a, ''), NULLIF(c, '')::uuid, v, d::jsonb
            FROM UNNEST(\(ids)::uuid[], \(streams)::text[], \(topics)::text[], \(keys)::text[],
                        \(areas)::text[], \(correlations)::text[], \(versions)::int[], \(payloads)::text[])
                 AS e(i, s, t, k, a, c, v, d)
            """,
            logger: logger
        )
    }

    /// Appends one event.
    public static func append(_ event: OutboxEvent, on connection: PostgresConnection, logger: Logger) async throws {
        try await append([event], on: connection, logger: logger)
    }
}
