import Logging
import Metrics
import Models
import ServiceLifecycle
import Store
import ZeroMQ

/// Receives the events of a topic prefix, each once and in per-topic order, however the
/// network behaves: the shell around ``SubscriberStateMachine``.
///
/// The handler gets batches (a replay page, or what arrived live together). If it throws,
/// the same batch is offered again after a pause, so nothing is skipped; a durable
/// consumer makes that safe with ``Inbox``. `run` returns on graceful shutdown or
/// cancellation, after the batch in hand.
public struct BusSubscriber: Sendable {
    public let configuration: SubscriberConfiguration
    private let logger: Logger

    public init(configuration: SubscriberConfiguration, logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "prefix"] = "\(configuration.prefix)"
        self.logger = logger
    }

    public func run(handler: @escaping @Sendable ([EventEnvelope]) async throws -> Void) async throws {
        try await ZMQContext.withContext { context in try await run(context: context, handler: handler) }
    }

    private func run(context: ZMQContext, handler: @escaping @Sendable ([EventEnvelope]) async throws -> Void) async throws {
        let sockets = SubscriberSockets(configuration: configuration, logger: logger)
        let (inputs, continuation) = AsyncStream<SubscriberInput>.makeStream(bufferingPolicy: .bufferingOldest(10_000))
        let replays = Counter(label: "shouwang_subscriber_replays_total")
        try await withThrowingTaskGroup(of: Void.self) { group in
            // However this body ends (shutdown, cancellation, a throw), the socket thread must end too.
            defer { sockets.stop() }
            group.addTask {
                defer { continuation.finish() }
                try await ZMQOwnerThread.run(name: "bus.subscriber") { try sockets.run(context: context, to: continuation) }
            }
            var machine = SubscriberStateMachine(
                prefix: configuration.prefix, start: configuration.start,
                pageLimit: configuration.pageLimit, replayTimeoutMilliseconds: configuration.replayTimeoutMilliseconds
            )
            sockets.request(machine.start(atMilliseconds: MonotonicClock.milliseconds()).replay!)
            let alarms = Counter(label: "shouwang_subscriber_integrity_alarms_total")
            for await input in inputs.cancelOnGracefulShutdown() {
                let output = Self.apply(input, to: &machine, logger: logger)
                for alarm in output.alarms {
                    alarms.increment()
                    // A contradiction still held is settled by replay; one already delivered cannot be
                    // taken back: whoever could publish it holds a key of that stream.
                    logger.error("bus integrity alarm: two different events claimed one topic and seq", metadata: ["alarm": "\(alarm)"])
                }
                if let request = output.replay {
                    replays.increment()
                    sockets.request(request)
                }
                if !output.deliver.isEmpty {
                    do { try await deliver(output.deliver, to: handler) } catch is StopSubscribing { break }
                }
            }
            sockets.stop()
            try await group.waitForAll()
        }
    }

    private static func apply(_ input: SubscriberInput, to machine: inout SubscriberStateMachine, logger: Logger)
        -> SubscriberStateMachine.Output
    {
        let now = MonotonicClock.milliseconds()
        switch input {
        case .live(let messages):
            var merged = SubscriberStateMachine.Output()
            for message in messages {
                let output = machine.receive(message, atMilliseconds: now)
                merged.deliver += output.deliver
                merged.replay = output.replay ?? merged.replay
                merged.alarms += output.alarms
            }
            return merged
        case .replay(let page):
            return machine.receive(page, atMilliseconds: now)
        case .replayRefused(let reason):
            logger.warning("replay refused", metadata: ["reason": "\(reason)"])
            return machine.replayFailed(atMilliseconds: now)
        case .tick:
            return machine.tick(atMilliseconds: now)
        }
    }

    /// Thrown by a handler to end ``run(handler:)`` at once, the batch in hand not retried: for
    /// a reader that has decided to stop (an HTTP stream whose client fell too far behind).
    public struct StopSubscribing: Error {
        public init() {}
    }

    /// Hands `batch` to the handler until it succeeds, or the subscriber is cancelled or
    /// shut down (a durable consumer then resumes from its saved positions), or the handler
    /// throws ``StopSubscribing``.
    private func deliver(_ batch: [EventEnvelope], to handler: @Sendable ([EventEnvelope]) async throws -> Void) async throws {
        while true {
            do {
                try await handler(batch)
                return
            } catch let stop as StopSubscribing {
                throw stop
            } catch {
                try Task.checkCancellation()
                if Task.isShuttingDownGracefully { throw error }
                logger.error("event handler failed; retrying the batch", metadata: ["error": "\(LoggableError.describe(error))"])
                try await gracefulSleep(milliseconds: 1000)
            }
        }
    }
}
