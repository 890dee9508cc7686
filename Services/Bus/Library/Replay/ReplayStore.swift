import EventBus
import Logging
import PostgresNIO

/// Reads replay pages from the outbox: the events of a topic, or of every topic under a
/// prefix, after given sequence numbers, at most `limit` of them, with the topics' heads.
struct ReplayStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    func page(for request: ReplayRequest) async throws -> (events: [StoredEvent], heads: [String: Int64]) {
        switch request.scope {
        case .topic(let topic, let after):
            let heads = try await heads(where: "topic = \(topic)")
            let events = request.limit == 0 ? [] : try await events(topic: topic, after: after, limit: request.limit)
            return (events, heads)
        case .prefix(let prefix, let after):
            let heads = try await heads(where: "starts_with(topic, \(prefix))")
            var events: [StoredEvent] = []
            for (topic, head) in heads.sorted(by: { $0.key < $1.key }) where head > after[topic, default: 0] {
                let room = request.limit - events.count
                if room <= 0 { break }
                events += try await self.events(topic: topic, after: after[topic, default: 0], limit: room)
            }
            return (events, heads)
        case .ping:
            return ([], [:])
        }
    }

    private func heads(where condition: PostgresQuery) async throws -> [String: Int64] {
        var query = PostgresQuery(unsafeSQL: "SELECT topic, head FROM topic_heads WHERE ")
        query.sql += condition.sql
        query.binds = condition.binds
        var heads: [String: Int64] = [:]
        for try await (topic, head) in try await client.query(query, logger: logger).decode((String, Int64).self) {
            heads[topic] = head
        }
        return heads
    }

    private func events(topic: String, after: Int64, limit: Int) async throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        for try await row in try await client.query(
            """
            SELECT id, topic, seq, stream, version, (extract(epoch FROM occurred_at) * 1000)::bigint,
                   key, area, correlation_id, data::text
            FROM outbox WHERE topic = \(topic) AND seq > \(after) AND seq IS NOT NULL
            ORDER BY seq LIMIT \(limit)
            """,
            logger: logger
        ).decode(StoredEvent.Row.self) {
            events.append(StoredEvent(row))
        }
        return events
    }
}
