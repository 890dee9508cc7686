import ArgumentParser
import Bus
import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store
import ZeroMQ

struct BenchBusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus",
        abstract: "Measure the event bus: outbox → relay → proxy → subscriber, next to raw libzmq PUB/SUB.",
        discussion: """
            Runs its own bus, relay and subscriber in this process on free loopback ports, against \
            the database of SHOUWANG_DATABASE_URL (streams named bench-…). Phases: (1) raw libzmq \
            PUB→SUB; (2) the relay alone on --events committed rows; (3) throughput: with everything connected, --events rows committed in one \
            transaction, timed from the commit to the subscriber holding all of them; (4) latency at --rate events/s for --seconds, from \
            the row's insert time to its receipt. Build with -c release before quoting figures.
            """
    )

    @OptionGroup var options: ServiceOptions

    @Option(help: "Events for the throughput phases.")
    var events: Int = 100_000

    @Option(help: "Events per second in the latency phase.")
    var rate: Int = 5000

    @Option(help: "Length of the latency phase in seconds.")
    var seconds: Int = 10

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        Observability.bootstrap(logLevel: .warning)
        let logger = Logger(label: "shouwang.bench")
        try await Migrator(CoreMigrations.all).migrate(configuration.database, logger: logger)
        let (publish, subscribe, replay) = LoopbackPort.busEndpoints()
        let bench = BusBenchmark(
            database: configuration.database, endpoints: BusEndpoints(publish: publish, subscribe: subscribe, replay: replay), logger: logger
        )
        print("Measuring raw libzmq PUB→SUB with \(events * 2) messages…")
        let raw = try await RawZeroMQBenchmark.run(messages: events * 2)
        print("Measuring the relay alone with \(events) events…")
        let relayRate = try await bench.relayOnly(events: events)
        print("Measuring the bus with \(events) events…")
        let throughput = try await bench.throughput(events: events)
        print("Measuring latency at \(rate) events/s for \(seconds) s…")
        let latency = try await bench.latency(rate: rate, seconds: seconds)
        print("")
        print(BenchmarkReport.machine())
        print("")
        print("| measure | value |")
        print("| --- | --- |")
        print("| raw libzmq PUB→SUB, 2 frames of \(RawZeroMQBenchmark.envelopeSize) B, loopback TCP | \(Int(raw)) messages/s |")
        print("| outbox insert, \(events) rows in one transaction, statements of 1,000 | \(Int(throughput.insertRate)) rows/s |")
        print("| relay alone: committed rows → sequenced and published, from relay start | \(Int(relayRate)) events/s |")
        print("| committed outbox row → subscriber, \(events) events, 3 topics | \(Int(throughput.deliveryRate)) events/s |")
        print("| latency insert → receipt at \(rate)/s for \(seconds) s, p50 | \(BenchmarkReport.milliseconds(latency.p50)) ms |")
        print("| latency p99 | \(BenchmarkReport.milliseconds(latency.p99)) ms |")
        print("| latency max | \(BenchmarkReport.milliseconds(latency.max)) ms (\(latency.count) events) |")
    }
}
