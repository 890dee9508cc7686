import Foundation
import Logging
import PostgresNIO
import Store

/// Per stream: which process leads its relay, and how far behind it is — read from
/// PostgreSQL itself (the advisory lock's holder and the oldest unsequenced outbox row),
/// so it tells the truth even about a relay that has stopped answering.
public struct RelayStatus: Sendable, Equatable {
    public var stream: String
    /// The leader's connection name (`shouwang-relay <stream> <host>:<pid>`) and address;
    /// `nil` when nobody holds the lock.
    public var leader: String?
    public var unsequenced: Int
    /// Age in seconds of the oldest committed row still without a sequence number.
    public var lagSeconds: Double

    /// Every stream that has published, is waiting to, or has a leader.
    public static func all(client: PostgresClient, logger: Logger) async throws -> [RelayStatus] {
        var statuses: [RelayStatus] = []
        for try await (stream, leader, unsequenced, lag) in try await client.query(
            """
            SELECT s.stream,
                   (SELECT a.application_name || ' ' || coalesce(host(a.client_addr), 'local')
                    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE l.locktype = 'advisory' AND l.granted AND l.classid = \(Int64(Migrator.relayLockNamespace))::oid
                      AND l.objid = (hashtext(s.stream)::bigint & 4294967295)::oid AND l.objsubid = 2
                    LIMIT 1),
                   (SELECT count(*)::int FROM outbox o WHERE o.stream = s.stream AND o.seq IS NULL),
                   coalesce((SELECT extract(epoch FROM now() - o.occurred_at)::float8 FROM outbox o
                             WHERE o.stream = s.stream AND o.seq IS NULL ORDER BY o.position LIMIT 1), 0)
            FROM (
                SELECT stream FROM topic_heads
                UNION SELECT DISTINCT stream FROM outbox WHERE seq IS NULL
                -- streams that have a leader but no event yet, from the leader's session name
                UNION SELECT split_part(a.application_name, ' ', 2)
                      FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = \(Int64(Migrator.relayLockNamespace))::oid
                        AND a.application_name LIKE 'shouwang-relay %'
            ) s
            ORDER BY s.stream
            """,
            logger: logger
        ).decode((String, String?, Int, Double).self) {
            statuses.append(RelayStatus(stream: stream, leader: leader, unsequenced: unsequenced, lagSeconds: max(0, lag)))
        }
        return statuses
    }

    /// The lag of one stream (the relay's own gauge).
    public static func lagSeconds(stream: String, client: PostgresClient, logger: Logger) async throws -> Double {
        for try await lag in try await client.query(
            """
            SELECT coalesce((SELECT extract(epoch FROM now() - occurred_at)::float8 FROM outbox
                             WHERE stream = \(stream) AND seq IS NULL ORDER BY position LIMIT 1), 0)
            """,
            logger: logger
        ).decode(Double.self) {
            return max(0, lag)
        }
        return 0
    }
}
