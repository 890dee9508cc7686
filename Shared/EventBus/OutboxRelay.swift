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
public struct OutboxRelay: Service {
    public let configuration: RelayConfiguration
    private let logger: Logger
    private let published: Counter

    public init(configuration: RelayConfiguration, logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "stream"] = "\(configuration.stream)"
        self.logger = logger
        self.published = Counter(label: "shouwang_relay_events_published_total", dimensions: [("stream", configuration.stream)])
    }

    public func run() async throws {
        try await ZMQContext.withContext { context in
            let publisher = BusPublisher(endpoint: configuration.publishEndpoint, logger: logger)
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
                    configuration: configuration.database.connectionConfiguration(),
                    id: 1, logger: logger
                )
                do {
                    try await standBy(connection, machine: &machine)
                    if machine.role == .leader {
                        try await lead(connection, publisher: publisher, machine: &machine)
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

    /// Asks for the leader lock until it is granted or the service shuts down.
    private func standBy(_ connection: PostgresConnection, machine: inout RelayStateMachine) async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let rows = try await connection.query(
                "SELECT pg_try_advisory_lock(\(Migrator.relayLockNamespace), hashtext(\(configuration.stream)))",
                logger: logger
            )
            var acquired = false
            for try await granted in rows.decode(Bool.self) { acquired = granted }
            switch machine.lockAnswered(acquired: acquired) {
            case .tryLock(let wait): try? await gracefulSleep(milliseconds: wait)
            default:
                logger.info("relay became leader")
                return
            }
        }
    }

    /// Sequences and publishes until shutdown; throws when the connection fails.
    private func lead(_ connection: PostgresConnection, publisher: BusPublisher, machine: inout RelayStateMachine) async throws {
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
                        // Committed before it is published: a number on the wire always exists in the database.
                        let batch = try await connection.withTransaction(logger: logger) { transaction in
                            try await RelaySequencer.sequenceBatch(stream: stream, limit: configuration.batchSize, on: transaction, logger: logger)
                        }
                        publisher.publish(batch)
                        published.increment(by: batch.count)
                        action = machine.sequenced(count: batch.count, atMilliseconds: MonotonicClock.milliseconds())
                    case .heartbeat:
                        let now = Timestamp.nowMilliseconds()
                        let heads = try await RelaySequencer.heads(stream: stream, on: connection, logger: logger)
                        publisher.publish(heads.map { topic, head in
                            [Array(topic.utf8), EnvelopeWriter.heartbeat(topic: topic, stream: stream, head: head, atMilliseconds: now)]
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
