import ArgumentParser
import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import ServiceLifecycle

struct PublishTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish-test",
        abstract: "Write N test events through the outbox and wait until they are sequenced and published.",
        discussion: """
            Events go to topics STREAM.probe.p0 … STREAM.probe.pK-1 with data {"run": id, "n": i}. \
            Unless --no-relay, this process also runs the stream's relay (leading, or standing by \
            while another process leads) until its own events are out. Watch them with \
            `shouwang tail STREAM.`.
            """
    )

    @OptionGroup var options: ServiceOptions

    @Option(help: "How many events to write.")
    var count: Int = 1000

    @Option(help: "The stream (first topic segment).")
    var stream: String = "test"

    @Option(help: "How many topics to spread the events over.")
    var topics: Int = 3

    @Option(help: "Events per transaction.")
    var batch: Int = 500

    @Flag(help: "Only write the events; leave publishing to a relay running elsewhere.")
    var noRelay = false

    func validate() throws {
        guard count > 0 else { throw ValidationError("--count must be at least 1") }
        guard (1...1000).contains(topics) else { throw ValidationError("--topics must be 1–1000") }
        guard (1...10_000).contains(batch) else { throw ValidationError("--batch must be 1–10000") }
        guard (try? Topic("\(stream).probe.p0")) != nil else { throw ValidationError("--stream must be lowercase letters, digits or '-'") }
    }

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        try configuration.requireBusCredentials()
        Observability.bootstrap(logLevel: configuration.logLevel)
        let logger = Logger(label: "shouwang.publish-test")
        let client = PostgresClient(
            configuration: configuration.database.clientConfiguration(maximumConnections: 4), backgroundLogger: logger)
        let job = PublishJob(client: client, stream: stream, count: count, topics: topics, batch: batch, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: client)]
        if !noRelay {
            let relay = OutboxRelay(
                configuration: RelayConfiguration(stream: stream, database: configuration.database, bus: configuration.bus),
                logger: logger
            )
            services.append(.init(service: relay))
        }
        services.append(.init(service: job, successTerminationBehavior: .gracefullyShutdownGroup))
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }
}

/// Writes the test events, then waits until every one has its sequence number.
struct PublishJob: Service {
    let client: PostgresClient
    let stream: String
    let count: Int
    let topics: Int
    let batch: Int
    let logger: Logger

    func run() async throws {
        let run = UUID().uuidString.lowercased()
        let started = ContinuousClock.now
        var written = 0
        while written < count {
            let size = min(batch, count - written)
            let events = (written..<(written + size)).map { n in
                OutboxEvent(
                    topic: try! Topic("\(stream).probe.p\(n % topics)"), key: "probe-\(n)",
                    data: .object(["run": .string(run), "n": .number(Double(n))])
                )
            }
            try await client.withTransaction(logger: logger) { connection in
                try await Outbox.append(events, on: connection, logger: logger)
            }
            written += size
            if written % max(batch, count / 10) == 0 || written == count {
                print("written \(written)/\(count)")
            }
        }
        let elapsed = ContinuousClock.now - started
        print("wrote \(count) events to \(topics) topic(s) of stream '\(stream)' in \(elapsed) (run \(run))")
        while try await unsequenced(run: run) > 0 {
            try await Task.sleep(for: .milliseconds(100))
        }
        print("all \(count) events sequenced")
    }

    private func unsequenced(run: String) async throws -> Int {
        let rows = try await client.query(
            "SELECT count(*)::int FROM outbox WHERE stream = \(stream) AND seq IS NULL AND data->>'run' = \(run)",
            logger: logger
        )
        for try await n in rows.decode(Int.self) { return n }
        return 0
    }
}
