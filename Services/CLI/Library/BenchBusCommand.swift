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
            PUB→SUB; (2) the relay alone on --events committed rows; (3) throughput, with and without CURVE alternating: with everything connected, --events rows committed in one \
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

    @Option(help: "Throughput rounds per variant (with and without CURVE, alternating); the median is reported.")
    var rounds: Int = 3

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        Observability.bootstrap(logLevel: .warning)
        let logger = Logger(label: "shouwang.bench")
        try await Migrator(CoreMigrations.all).migrate(configuration.database, logger: logger)
        let (publish, subscribe, replay) = LoopbackPort.busEndpoints()
        let endpoints = BusEndpoints(publish: publish, subscribe: subscribe, replay: replay)
        let plain = BusBenchmark(database: configuration.database, endpoints: endpoints, curve: false, logger: logger)
        let secured = BusBenchmark(database: configuration.database, endpoints: endpoints, curve: true, logger: logger)
        print("Measuring raw libzmq PUB→SUB with \(events * 2) messages…")
        let raw = try await RawZeroMQBenchmark.run(messages: events * 2)
        print("Measuring the relay alone with \(events) events…")
        let relayRate = try await plain.relayOnly(events: events)
        // Alternate the two so a noisy moment on a shared machine does not favour one.
        var throughputs: [Bool: [BusBenchmark.Throughput]] = [:]
        for round in 0..<rounds {
            for bench in round % 2 == 0 ? [plain, secured] : [secured, plain] {
                print(
                    "Measuring the bus\(bench.curve ? " with CURVE" : " without CURVE") with \(events) events (round \(round + 1) of \(rounds))…"
                )
                throughputs[bench.curve, default: []].append(try await bench.throughput(events: events))
            }
        }
        var latencies: [Bool: BusBenchmark.Latency] = [:]
        for bench in [plain, secured] {
            print("Measuring latency\(bench.curve ? " with CURVE" : " without CURVE") at \(rate) events/s for \(seconds) s…")
            latencies[bench.curve] = try await bench.latency(rate: rate, seconds: seconds)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let insert = median((throughputs[false]! + throughputs[true]!).map(\.insertRate))
        let delivery = [false: median(throughputs[false]!.map(\.deliveryRate)), true: median(throughputs[true]!.map(\.deliveryRate))]
        print("")
        print(BenchmarkReport.machine())
        print("")
        print("| measure | without CURVE | with CURVE |")
        print("| --- | --- | --- |")
        print("| raw libzmq PUB→SUB, 2 frames of \(RawZeroMQBenchmark.envelopeSize) B, loopback TCP | \(Int(raw)) messages/s | |")
        print(
            "| outbox insert, \(events) rows in one transaction, statements of 1,000 (median of \(rounds * 2)) | \(Int(insert)) rows/s | |")
        print("| relay alone: committed rows → sequenced and published, from relay start | \(Int(relayRate)) events/s | |")
        print(
            "| committed outbox row → subscriber, \(events) events, 3 topics (median of \(rounds)) | \(Int(delivery[false]!)) events/s | \(Int(delivery[true]!)) events/s |"
        )
        print(
            "| … as a share of the insert rate | \(String(format: "%.2f", delivery[false]! / insert))× | \(String(format: "%.2f", delivery[true]! / insert))× |"
        )
        for (name, value) in [("p50", \BusBenchmark.Latency.p50), ("p99", \BusBenchmark.Latency.p99), ("max", \BusBenchmark.Latency.max)] {
            print(
                "| latency insert → receipt at \(rate)/s for \(seconds) s, \(name) | \(BenchmarkReport.milliseconds(latencies[false]![keyPath: value])) ms | \(BenchmarkReport.milliseconds(latencies[true]![keyPath: value])) ms |"
            )
        }
    }
}
