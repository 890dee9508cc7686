import EventBus
import Logging
import PostgresNIO
import ServiceLifecycle
import Store

/// Forgets idempotency keys older than `retention` (default 24 h), so the table stays the
/// size of a day's writes. Every replica runs one; the deletes are idempotent.
public struct IdempotencyKeyExpiry: Service {
    let service: String
    let client: PostgresClient
    let logger: Logger
    let retention: Duration
    let interval: Duration

    public init(
        service: String, client: PostgresClient, logger: Logger, retention: Duration = .seconds(86_400), interval: Duration = .seconds(600)
    ) {
        self.service = service
        self.client = client
        self.logger = logger
        self.retention = retention
        self.interval = interval
    }

    public func run() async throws {
        try await PeriodicWork("expiring idempotency keys", every: interval, logger: logger) { try await expire() }.run()
    }

    /// Deletes this service's keys older than the retention; returns how many.
    @discardableResult
    public func expire() async throws -> Int {
        let seconds = Double(retention.components.seconds)
        return try await client.query(
            """
            DELETE FROM idempotency_keys
            WHERE service = \(service) AND created_at < now() - make_interval(secs => \(seconds))
            RETURNING 1
            """,
            logger: logger
        ).collect().count
    }
}
