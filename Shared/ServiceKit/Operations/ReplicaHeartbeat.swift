import EventBus
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Keeps this process's row in `service_replicas` fresh every 5 s, and marks it stopped on
/// a graceful shutdown, so `shouwang status` lists every replica a balancer or autoscaler
/// started — and shows the ones that died without saying so as gone.
///
/// Rows of replicas gone for a day are deleted by whichever replica beats next.
public struct ReplicaHeartbeat: Service {
    let replica: ServiceReplica
    let client: PostgresClient
    let logger: Logger

    public init(service: String, httpURL: String, client: PostgresClient, logger: Logger) {
        let now = Date()
        self.replica = ServiceReplica(
            service: service, instance: "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)",
            httpURL: httpURL, startedAt: now, seenAt: now
        )
        self.client = client
        self.logger = logger
    }

    public func run() async throws {
        let replica = self.replica
        let client = self.client
        let logger = self.logger
        try await PeriodicWork("replica heartbeat", every: .seconds(5), logger: logger) {
            try await client.query(
                """
                INSERT INTO service_replicas (service, instance, http_url, started_at, seen_at)
                VALUES (\(replica.service), \(replica.instance), \(replica.httpURL), \(replica.startedAt), now())
                ON CONFLICT (service, instance) DO UPDATE SET seen_at = now(), http_url = EXCLUDED.http_url, stopped_at = NULL
                """,
                logger: logger
            )
            try await client.query("DELETE FROM service_replicas WHERE seen_at < now() - interval '1 day'", logger: logger)
        }.run()
        // Graceful shutdown: say so, so the replica is not mistaken for one that crashed.
        _ = try? await client.query(
            "UPDATE service_replicas SET stopped_at = now() WHERE service = \(replica.service) AND instance = \(replica.instance)",
            logger: logger
        )
    }
}
