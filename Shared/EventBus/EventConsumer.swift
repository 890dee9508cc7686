import Logging
import Models
import PostgresNIO
import ServiceLifecycle

/// A service's durable consumer of another stream: it names its inbox and the topic
/// prefixes it follows, and says what one event does (``apply(_:on:)``); the default
/// ``run()`` does the rest — positions from the inbox, replay then live, each event applied
/// exactly once in the same transaction as its inbox row — the same way for every consumer.
///
/// Several prefixes are followed side by side under one inbox, in one task group: each
/// topic keeps its own order, which is all the bus promises.
public protocol EventConsumer: Service {
    /// The inbox's name (`<service>.<what>`): positions and applied events are kept under it.
    var inbox: String { get }
    /// The topic prefixes followed (`intake.request.`, or one whole topic).
    var prefixes: [String] { get }
    var endpoints: BusEndpoints { get }
    var client: PostgresClient { get }
    var logger: Logger { get }

    /// What one event does, in the transaction that records it as applied.
    func apply(_ event: EventEnvelope, on connection: PostgresConnection) async throws

    /// Runs once per batch, before its events are applied, in the same transaction: where a
    /// consumer whose events lock several rows takes those locks in one order. Nothing by default.
    func prepare(_ events: [EventEnvelope], on connection: PostgresConnection) async throws
}

extension EventConsumer {
    public func prepare(_ events: [EventEnvelope], on connection: PostgresConnection) async throws {}

    public func run() async throws {
        let inbox = Inbox(consumer: inbox)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for prefix in prefixes {
                group.addTask {
                    try await inbox.follow(
                        prefix, endpoints: endpoints, client: client, logger: logger,
                        prepare: { events, connection in try await prepare(events, on: connection) }
                    ) { event, connection in
                        try await apply(event, on: connection)
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
