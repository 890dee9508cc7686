import Foundation
import Logging
import Metrics
import Models
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import Store
import ZeroMQ

/// Publishes one stream's committed outbox rows on the bus, in per-topic order.
///
/// Every replica of a service runs one; the one holding the stream's advisory lock leads,
/// the others stand by (``RelayStateMachine``). The leader works on a dedicated connection
/// outside the pool, so its lock ends exactly when its session does, and sequencing on
/// that same connection fails the moment leadership is lost. On graceful shutdown it
/// finishes the batch in hand, flushes the PUB socket and releases the lock.
///
/// No silent stall: a watchdog beside each connection (``RelayWatchdog``) closes it when no
/// database round trip has completed for ``RelayConfiguration/stallTimeout`` — a leader does
/// one at least every heartbeat, a standby every retry — so the lock goes with the session
/// and a standby, or this relay on a new connection, takes over. Should the work still not
/// end after the close, the process exits so its supervisor restarts it: a relay that
/// holds its stream silently is worse than a restart.
public struct OutboxRelay: Service {
    public let configuration: RelayConfiguration
    private let logger: Logger
    private let published: Counter
    private let leading: Gauge
    private let stalls: Counter

    public init(configuration: RelayConfiguration, logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "stream"] = "\(configuration.stream)"
        self.logger = logger
        self.published = Counter(label: "shouwang_relay_events_published_total", dimensions: [("stream", configuration.stream)])
        self.leading = Gauge(label: "shouwang_relay_leader", dimensions: [("stream", configuration.stream)])
        self.stalls = Counter(label: "shouwang_relay_stalls_total", dimensions: [("stream", configuration.stream)])
    }

    public func run() async throws {
        try await ZMQContext.withContext { context in
            let publisher = BusPublisher(endpoint: configuration.publishEndpoint, credentials: configuration.credentials, logger: logger)
            // If the publisher fails (a bad endpoint), the first error cancels the campaign, whose
            // connection closes and releases the lock for a healthy replica: never lead without a PUB.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await publisher.run(context: context) }
                group.addTask {
                    await campaign(publisher)
                    publisher.finish()
                }
                for try await _ in group {}
            }
        }
    }

    /// Stands by or leads until shutdown, reconnecting after any database failure.
    private func campaign(_ publisher: BusPublisher) async {
        var machine = RelayStateMachine(
            batchSize: configuration.batchSize,
            heartbeatIntervalMilliseconds: configuration.heartbeatInterval.milliseconds,
            retryMilliseconds: configuration.leadershipRetryInterval.milliseconds
        )
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.next(),
                    configuration: connectionConfiguration(),
                    id: 1, logger: logger
                )
                do {
                    machine = try await watched(connection) { [machine] progress in
                        var machine = machine
                        try await standBy(connection, machine: &machine, progress: progress)
                        if machine.role == .leader {
                            leading.record(1)
                            defer { leading.record(0) }
                            try await lead(connection, publisher: publisher, machine: &machine, progress: progress)
                        }
                        return machine
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
                if machine.role == .leader { logger.info("relay stopped leading") }
                return
            } catch {
                if case .tryLock(let wait) = machine.connectionLost() {
                    logger.warning("relay lost its database connection; retrying", metadata: ["error": "\(LoggableError.describe(error))"])
                    try? await gracefulSleep(milliseconds: wait)
                }
            }
        }
    }

    /// The relay's session, named so `pg_stat_activity` (and `shouwang status`) shows who leads.
    private func connectionConfiguration() -> PostgresConnection.Configuration {
        var configuration = configuration.database.connectionConfiguration()
        let host = ProcessInfo.processInfo.hostName.prefix(40)
        configuration.options.additionalStartupParameters = [
            ("application_name", "shouwang-relay \(self.configuration.stream) \(host):\(ProcessInfo.processInfo.processIdentifier)")
        ]
        return configuration
    }

    /// Runs `work` on `connection` beside a watchdog that closes the connection when `work`
    /// completes no database round trip for the stall timeout.
    private func watched(
        _ connection: PostgresConnection, _ work: @escaping @Sendable (RelayProgress) async throws -> RelayStateMachine
    ) async throws -> RelayStateMachine {
        let progress = RelayProgress()
        return try await withThrowingTaskGroup(of: RelayStateMachine?.self) { group in
            group.addTask {
                defer { progress.ended() }
                return try await work(progress)
            }
            group.addTask {
                try await watch(connection, progress: progress)
                return nil
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let machine = result { return machine }
            }
            throw CancellationError()
        }
    }

    /// Waits (until cancelled) for the work to stall; then closes its connection, and exits
    /// the process if even that does not end the work.
    private func watch(_ connection: PostgresConnection, progress: RelayProgress) async throws {
        var watchdog = RelayWatchdog(stallTimeoutMilliseconds: configuration.stallTimeout.milliseconds)
        while true {
            try await Task.sleep(for: .milliseconds(500))
            let now = MonotonicClock.milliseconds()
            switch watchdog.check(lastProgressAtMilliseconds: progress.lastRoundTrip, workEnded: progress.hasEnded, atMilliseconds: now) {
            case .healthy:
                continue
            case .stalled(let idle):
                stalls.increment()
                logger.error(
                    "relay made no database progress; closing its connection so leadership can move",
                    metadata: ["idle_ms": "\(idle)", "timeout_ms": "\(configuration.stallTimeout.milliseconds)"]
                )
                try? await connection.close()
            case .stuckAfterClose:
                logger.critical("relay work did not end after its connection was closed; exiting so the process is restarted")
                exit(75)
            }
        }
    }

    /// Asks for the leader lock until it is granted or the service shuts down.
    private func standBy(_ connection: PostgresConnection, machine: inout RelayStateMachine, progress: RelayProgress) async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try Self.checkOpen(connection)
            let rows = try await connection.query(
                "SELECT pg_try_advisory_lock(\(Migrator.relayLockNamespace), hashtext(\(configuration.stream)))",
                logger: logger
            )
            var acquired = false
            for try await granted in rows.decode(Bool.self) { acquired = granted }
            progress.roundTripCompleted()
            switch machine.lockAnswered(acquired: acquired) {
            case .tryLock(let wait): try? await gracefulSleep(milliseconds: wait)
            default:
                logger.info("relay became leader")
                return
            }
        }
    }

    /// Sequences and publishes until shutdown; throws when the connection fails.
    private func lead(
        _ connection: PostgresConnection, publisher: BusPublisher, machine: inout RelayStateMachine, progress: RelayProgress
    ) async throws {
        let stream = configuration.stream
        let poll = configuration.pollInterval
        try await connection.listen(on: "outbox") { notifications in
            let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await notification in notifications where notification.payload == stream { wake.yield() }
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: poll)
                        wake.yield()
                    }
                }
                var action = RelayStateMachine.Action.sequence
                var wakeups = wakes.cancelOnGracefulShutdown().makeAsyncIterator()
                loop: while true {
                    switch action {
                    case .sequence:
                        if Task.isShuttingDownGracefully || Task.isCancelled { break loop }
                        try Self.checkOpen(connection)
                        // Committed before it is published: a number on the wire always exists in the database.
                        let batch = try await connection.withTransaction(logger: logger) { transaction in
                            try await RelaySequencer.sequenceBatch(
                                stream: stream, limit: configuration.batchSize, on: transaction, logger: logger)
                        }
                        progress.roundTripCompleted()
                        publisher.publish(batch)
                        published.increment(by: batch.count)
                        action = machine.sequenced(count: batch.count, atMilliseconds: MonotonicClock.milliseconds())
                    case .heartbeat:
                        try Self.checkOpen(connection)
                        let now = Timestamp.nowMilliseconds()
                        let heads = try await RelaySequencer.heads(stream: stream, on: connection, logger: logger)
                        progress.roundTripCompleted()
                        publisher.publish(
                            heads.map { topic, head in
                                [
                                    Array(topic.utf8),
                                    EnvelopeWriter.heartbeat(topic: topic, stream: stream, head: head, atMilliseconds: now),
                                ]
                            })
                        action = machine.heartbeatSent(atMilliseconds: MonotonicClock.milliseconds())
                    case .wait, .tryLock:
                        guard await wakeups.next() != nil else { break loop }
                        action = machine.woke(atMilliseconds: MonotonicClock.milliseconds())
                    }
                }
                group.cancelAll()
            }
        }
        _ = try? await connection.query(
            "SELECT pg_advisory_unlock(\(Migrator.relayLockNamespace), hashtext(\(stream)))", logger: logger
        )
    }
}

extension OutboxRelay {
    /// PostgresNIO 1.33 drops a query written to a connection whose server has gone: it
    /// never answers, ignores cancellation, and `close()` does not free it. So every query
    /// of the relay is preceded by this check (the poll tick wakes the loop at least every
    /// 250 ms to make it), and the watchdog covers the instant between check and write.
    static func checkOpen(_ connection: PostgresConnection) throws {
        guard !connection.isClosed else { throw RelayConnectionClosed() }
    }
}

/// The relay's database session ended (the server restarted, the network broke).
struct RelayConnectionClosed: Error, CustomStringConvertible {
    var description: String { "the relay's database connection is closed" }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

/// Sleeps, ending early (by throwing) when the service group shuts down.
func gracefulSleep(milliseconds: Int64) async throws {
    try await cancelWhenGracefulShutdown {
        try await Task.sleep(for: .milliseconds(milliseconds))
    }
}
