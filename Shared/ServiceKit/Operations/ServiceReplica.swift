import Foundation
import Logging
import PostgresNIO

/// One running process of a service, as it registered itself in `service_replicas`.
public struct ServiceReplica: Sendable, Equatable {
    public var service: String
    /// `host:pid`: unique among running processes, readable in `ps` and in logs.
    public var instance: String
    /// Where the replica answers HTTP (`SHOUWANG_ADVERTISE_URL`, else its host and port).
    public var httpURL: String
    public var startedAt: Date
    public var seenAt: Date
    /// Set when the replica shut down cleanly; a replica killed outright just stops being seen.
    public var stoppedAt: Date?

    /// How long a replica may go unseen before it counts as gone: three missed heartbeats.
    public static let freshness: Duration = .seconds(15)

    /// Replicas seen within ``freshness`` and not stopped, by service and instance; and how
    /// many others (stopped or unseen) were registered in the last hour.
    public static func running(client: PostgresClient, logger: Logger) async throws -> (running: [ServiceReplica], gone: Int) {
        var running: [ServiceReplica] = []
        var gone = 0
        let fresh = Double(freshness.components.seconds)
        for try await (service, instance, url, started, seen, stopped, isRunning) in try await client.query(
            """
            SELECT service, instance, http_url, started_at, seen_at, stopped_at,
                   stopped_at IS NULL AND seen_at > now() - make_interval(secs => \(fresh))
            FROM service_replicas WHERE seen_at > now() - interval '1 hour'
            ORDER BY service, started_at
            """,
            logger: logger
        ).decode((String, String, String, Date, Date, Date?, Bool).self) {
            if isRunning {
                running.append(
                    ServiceReplica(service: service, instance: instance, httpURL: url, startedAt: started, seenAt: seen, stoppedAt: stopped)
                )
            } else {
                gone += 1
            }
        }
        return (running, gone)
    }
}
