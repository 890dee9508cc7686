import Foundation
import Logging
import Models
import PostgresNIO

/// A consumer's record of processed events, so an event delivered again after a crash or
/// a replay has no second effect.
///
/// ``process(_:client:logger:effect:)`` runs the effects of new events and marks them
/// processed in one transaction, and moves the consumer's saved positions, which a
/// restarted subscriber resumes from (``SubscriberStateMachine/StartPosition/after(_:)``).
public struct Inbox: Sendable {
    /// The consumer's durable name, e.g. `intake.requests` — one per purpose, not per replica.
    public let consumer: String

    public init(consumer: String) {
        self.consumer = consumer
    }

    /// The saved positions of this consumer, per topic.
    public func positions(client: PostgresClient, logger: Logger) async throws -> [String: Int64] {
        var positions: [String: Int64] = [:]
        for try await (topic, seq) in try await client.query(
            "SELECT topic, seq FROM consumer_positions WHERE consumer = \(consumer)", logger: logger
        ).decode((String, Int64).self) {
            positions[topic] = seq
        }
        return positions
    }

    /// Applies `effect` to each event not processed before, in order, and records them —
    /// all in one transaction. Returns the events whose effect ran. `prepare` runs first,
    /// once, with all of them: where a consumer takes the locks its effects need, in one
    /// order, so that applying a batch never waits in a circle with another transaction.
    @discardableResult
    public func process(
        _ events: [EventEnvelope], client: PostgresClient, logger: Logger,
        prepare: ([EventEnvelope], PostgresConnection) async throws -> Void = { _, _ in },
        effect: (EventEnvelope, PostgresConnection) async throws -> Void
    ) async throws -> [EventEnvelope] {
        guard !events.isEmpty else { return [] }
        return try await client.transaction(logger: logger) { connection in
            let fresh = try await markProcessed(events, on: connection, logger: logger)
            let applied = events.filter { fresh.contains($0.id) }
            try await prepare(applied, connection)
            for event in applied { try await effect(event, connection) }
            try await savePositions(events, on: connection, logger: logger)
            return applied
        }
    }

    /// Inserts inbox rows; returns the ids that were not there yet.
    private func markProcessed(_ events: [EventEnvelope], on connection: PostgresConnection, logger: Logger) async throws -> Set<UUID> {
        // Rows in one global order (by id), so replicas of a consumer never lock them in opposite orders.
        let ordered = events.sorted { $0.id.uuidString < $1.id.uuidString }
        let ids = ordered.map(\.id)
        let topics = ordered.map(\.topic.rawValue)
        let seqs = ordered.map(\.seq)
        var fresh = Set<UUID>()
        for try await id in try await connection.query(
            """
            INSERT INTO inbox (consumer, event_id, topic, seq)
            SELECT \(consumer), i, t, s FROM UNNEST(\(ids)::uuid[], \(topics)::text[], \(seqs)::bigint[]) WITH ORDINALITY AS e(i, t, s, o)
            ORDER BY o
            ON CONFLICT (consumer, event_id) DO NOTHING
            RETURNING event_id
            """,
            logger: logger
        ).decode(UUID.self) {
            fresh.insert(id)
        }
        return fresh
    }

    private func savePositions(_ events: [EventEnvelope], on connection: PostgresConnection, logger: Logger) async throws {
        var highest: [String: Int64] = [:]
        for event in events { highest[event.topic.rawValue] = max(highest[event.topic.rawValue, default: 0], event.seq) }
        let topics = highest.keys.sorted()
        let seqs = topics.map { highest[$0]! }
        try await connection.query(
            """
            INSERT INTO consumer_positions (consumer, topic, seq)
            SELECT \(consumer), t, s FROM UNNEST(\(topics)::text[], \(seqs)::bigint[]) WITH ORDINALITY AS p(t, s, o)
            ORDER BY o
            ON CONFLICT (consumer, topic) DO UPDATE
            SET seq = GREATEST(consumer_positions.seq, EXCLUDED.seq), updated_at = now()
            """,
            logger: logger
        )
    }
}

extension Inbox {
    /// Follows the topics under `prefix` from this consumer's saved positions, applying each
    /// event's `effect` once (across restarts, replays and replicas) until the task ends:
    /// what every service's consumer of another stream does.
    public func follow(
        _ prefix: String, endpoints: BusEndpoints, client: PostgresClient, logger: Logger,
        prepare: @escaping @Sendable ([EventEnvelope], PostgresConnection) async throws -> Void = { _, _ in },
        effect: @escaping @Sendable (EventEnvelope, PostgresConnection) async throws -> Void
    ) async throws {
        let positions = try await positions(client: client, logger: logger)
        let subscriber = BusSubscriber(
            configuration: SubscriberConfiguration(endpoints: endpoints, prefix: prefix, start: .after(positions)), logger: logger)
        try await subscriber.run { batch in
            try await process(batch, client: client, logger: logger, prepare: prepare) { event, connection in
                try await effect(event, connection)
            }
        }
    }
}
