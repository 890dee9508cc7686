import ArgumentParser
import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Synchronization

struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print the events of a topic prefix as they happen, one JSON envelope per line.",
        discussion: """
            Without --from, starts with what is published from now on; --from SEQ first replays \
            every topic of the prefix after SEQ (0: from the beginning). With --consumer NAME the \
            subscription is durable: positions are saved in the database, so a restarted tail \
            resumes where it stopped and prints each event once. End the prefix with a dot \
            (intake.) so that it does not match intake2.
            """
    )

    @OptionGroup var options: ServiceOptions

    @Argument(help: "Topic prefix, e.g. intake. or intake.request.created; '' for every topic.")
    var prefix: String

    @Option(help: "Replay each topic after this sequence number first.")
    var from: Int64?

    @Option(help: "Durable consumer name: resume from saved positions, record each event in the inbox.")
    var consumer: String?

    @Option(help: "Exit after this many events.")
    var count: Int?

    func validate() throws {
        if let from, from < 0 { throw ValidationError("--from must be 0 or more") }
        if consumer != nil && from != nil { throw ValidationError("--consumer resumes from its saved positions; drop --from") }
    }

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        try configuration.requireBusCredentials()
        Observability.bootstrap(logLevel: configuration.logLevel)
        let logger = Logger(label: "shouwang.tail")
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var client: PostgresClient?
        if consumer != nil {
            let pool = PostgresClient(
                configuration: configuration.database.clientConfiguration(maximumConnections: 2), backgroundLogger: logger)
            services.append(.init(service: pool))
            client = pool
        }
        let tail = TailService(
            endpoints: configuration.bus, prefix: prefix, from: from, consumer: consumer.map { (Inbox(consumer: $0), client!) },
            limit: count, logger: logger
        )
        services.append(.init(service: tail, successTerminationBehavior: .gracefullyShutdownGroup))
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }
}

/// Subscribes and prints; ends after `limit` events, or on shutdown.
struct TailService: Service {
    let endpoints: BusEndpoints
    let prefix: String
    let from: Int64?
    let consumer: (inbox: Inbox, client: PostgresClient)?
    let limit: Int?
    let logger: Logger

    func run() async throws {
        let start = try await startPosition()
        let subscriber = BusSubscriber(
            configuration: SubscriberConfiguration(endpoints: endpoints, prefix: prefix, start: start), logger: logger)
        let printed = PrintedCount()
        let (done, finished) = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { finished.finish() }
                try await subscriber.run { batch in
                    let shown = try await record(batch)
                    let (lines, total) = printed.count.withLock { count in
                        var lines = ""
                        for event in shown where limit.map({ count < $0 }) ?? true {
                            lines += Self.line(event) + "\n"
                            count += 1
                        }
                        return (lines, count)
                    }
                    // Unbuffered, so a pipe sees each batch as it arrives.
                    FileHandle.standardOutput.write(Data(lines.utf8))
                    if let limit, total >= limit { finished.finish() }
                }
            }
            for await _ in done {}
            group.cancelAll()
            try await group.waitForAll()
        }
    }

    /// Durable mode: records the batch in the inbox and returns the events not seen before.
    private func record(_ batch: [EventEnvelope]) async throws -> [EventEnvelope] {
        guard let consumer else { return batch }
        return try await consumer.inbox.process(batch, client: consumer.client, logger: logger) { _, _ in }
    }

    private func startPosition() async throws -> SubscriberStateMachine.StartPosition {
        if let consumer {
            return .after(try await consumer.inbox.positions(client: consumer.client, logger: logger))
        }
        guard let from else { return .now }
        if from == 0 { return .beginning }
        let heads = try await ReplayClient.heads(prefix: prefix, bus: endpoints)
        return .after(heads.mapValues { min($0, from) })
    }

    private static func line(_ event: EventEnvelope) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(event), as: UTF8.self)) ?? "{}"
    }
}

/// How many events a tail has printed, shared between its handler calls.
private final class PrintedCount: Sendable {
    let count = Mutex(0)
}
