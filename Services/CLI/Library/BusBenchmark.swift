import Bus
import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceLifecycle
import Store
import Synchronization
import ZeroMQ

/// The bus measured end to end, in-process: a private `BusServer`, one relay and one
/// subscriber, on a stream of its own per phase so sequences start at 1.
struct BusBenchmark {
    let database: DatabaseURL
    let endpoints: BusEndpoints
    /// Whether the bus runs with CURVE and per-message key checks, as in production.
    let curve: Bool
    let logger: Logger

    struct Throughput {
        var insertRate: Double
        var deliveryRate: Double
    }

    struct Latency {
        var p50: Double
        var p99: Double
        var max: Double
        var count: Int
    }

    /// The relay alone: `events` rows committed before it starts, timed from its start until
    /// every row has its sequence number and was handed to the PUB socket.
    func relayOnly(events: Int) async throws -> Double {
        let stream = "bench-\(UInt32.random(in: 0...UInt32.max))"
        return try await withPool { client in
            try await client.transaction(logger: logger) { connection in
                for offset in stride(from: 0, to: events, by: 1000) {
                    try await Outbox.append(
                        Self.events(min(1000, events - offset), from: offset, stream: stream), on: connection, logger: logger)
                }
            }
            let started = ContinuousClock.now
            var elapsed = Duration.zero
            try await withServices([relay(stream, endpoints)]) {
                while try await unsequenced(stream: stream, client: client) > 0 { try await Task.sleep(for: .milliseconds(5)) }
                elapsed = ContinuousClock.now - started
            }
            return Double(events) / elapsed.seconds
        }
    }

    private func unsequenced(stream: String, client: PostgresClient) async throws -> Int {
        for try await count in try await client.query(
            "SELECT count(*)::int FROM outbox WHERE stream = \(stream) AND seq IS NULL", logger: logger
        ).decode(Int.self) {
            return count
        }
        return 0
    }

    /// With bus, relay and subscriber warmed up, commits `events` rows in one transaction and
    /// times that commit → the subscriber holding every one of them.
    func throughput(events: Int) async throws -> Throughput {
        let stream = "bench-\(UInt32.random(in: 0...UInt32.max))"
        return try await withPool { client in
            let received = Counter()
            var insertRate = 0.0
            var deliveryRate = 0.0
            let (server, endpoints) = try bus(for: stream, client: client)
            try await withServices([server, relay(stream, endpoints)]) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await subscribe(prefix: stream + ".", endpoints: endpoints, until: { received.value >= events + 1 }) { batch in
                            received.add(batch.count)
                        }
                    }
                    try await insert(1, stream: stream, client: client)  // warm-up: everything connected
                    while received.value < 1 { try await Task.sleep(for: .milliseconds(5)) }
                    let insertStart = ContinuousClock.now
                    try await client.transaction(logger: logger) { connection in
                        for offset in stride(from: 0, to: events, by: 1000) {
                            try await Outbox.append(
                                Self.events(min(1000, events - offset), from: offset, stream: stream), on: connection, logger: logger)
                        }
                    }
                    let committed = ContinuousClock.now
                    insertRate = Double(events) / (committed - insertStart).seconds
                    try await group.waitForAll()
                    deliveryRate = Double(events) / (ContinuousClock.now - committed).seconds
                }
            }
            return Throughput(insertRate: insertRate, deliveryRate: deliveryRate)
        }
    }

    /// Writes `rate` events a second in 100 batches a second; measures insert → receipt.
    func latency(rate: Int, seconds: Int) async throws -> Latency {
        let stream = "bench-\(UInt32.random(in: 0...UInt32.max))"
        let total = rate * seconds
        return try await withPool { client in
            let samples = Samples()
            let (server, endpoints) = try bus(for: stream, client: client)
            try await withServices([server, relay(stream, endpoints)]) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await subscribe(prefix: stream + ".", endpoints: endpoints, until: { samples.count >= total + 1 }) { batch in
                            let now = Double(Timestamp.nowMilliseconds())
                            samples.add(batch.map { now - $0.occurredAt.timeIntervalSince1970 * 1000 })
                        }
                    }
                    try await insert(1, stream: stream, client: client)  // warm-up: everything connected
                    while samples.count < 1 { try await Task.sleep(for: .milliseconds(5)) }
                    let perTick = max(1, rate / 100)
                    var written = 0
                    let start = ContinuousClock.now
                    while written < total {
                        let size = min(perTick, total - written)
                        try await insert(size, stream: stream, client: client)
                        written += size
                        let due = start + .milliseconds(10 * (written / perTick))
                        if due > ContinuousClock.now { try await Task.sleep(until: due) }
                    }
                    try await group.waitForAll()
                }
            }
            let latencies = Percentiles(samples.all)
            return Latency(p50: latencies.at(0.5), p99: latencies.at(0.99), max: latencies.maximum, count: latencies.count)
        }
    }

    // MARK: Parts

    private func relay(_ stream: String, _ endpoints: BusEndpoints) -> OutboxRelay {
        OutboxRelay(configuration: RelayConfiguration(stream: stream, database: database, bus: endpoints), logger: logger)
    }

    /// A bus server for this phase and the endpoints its relay and subscriber use: with
    /// CURVE, a fresh server key and one client key allowed to publish `stream` and read
    /// everything (installed directly: the benchmark measures the checks, not the reload).
    private func bus(for stream: String, client: PostgresClient) throws -> (BusServer, BusEndpoints) {
        guard curve else {
            return (
                BusServer(endpoints: endpoints, client: client, access: BusAccess(security: nil, logger: logger), logger: logger), endpoints
            )
        }
        let server = BusServerSecurity(keys: try ZMQCurveKeyPair.generate())
        let keys = try ZMQCurveKeyPair.generate()
        let access = BusAccess(security: server, logger: logger)
        access.install(BusKeyRing([BusKeyGrant(name: "bench", publicKey: keys.publicKey, role: .service, stream: stream, prefixes: [""])]))
        var secured = endpoints
        secured.credentials = BusCredentials(serverKey: server.keys.publicKey, keys: keys)
        return (BusServer(endpoints: endpoints, client: client, access: access, logger: logger), secured)
    }

    private func insert(_ count: Int, stream: String, client: PostgresClient) async throws {
        try await client.transaction(logger: logger) { connection in
            try await Outbox.append(Self.events(count, from: 0, stream: stream), on: connection, logger: logger)
        }
    }

    private static func events(_ count: Int, from start: Int, stream: String) -> [OutboxEvent] {
        (start..<(start + count)).map { n in
            OutboxEvent(
                topic: try! Topic("\(stream).probe.p\(n % 3)"), key: "bench-\(n)", area: "320505",
                data: .object(["n": .number(Double(n)), "category": .string("groceries")])
            )
        }
    }

    private func subscribe(
        prefix: String, endpoints: BusEndpoints, until done: @escaping @Sendable () -> Bool,
        _ handle: @escaping @Sendable ([EventEnvelope]) -> Void
    ) async throws {
        let subscriber = BusSubscriber(
            configuration: SubscriberConfiguration(endpoints: endpoints, prefix: prefix, start: .beginning), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await subscriber.run { batch in handle(batch) } }
            while !done() { try await Task.sleep(for: .milliseconds(1)) }
            group.cancelAll()
        }
    }

    private func withPool<Result: Sendable>(_ body: @Sendable (PostgresClient) async throws -> Result) async throws -> Result {
        try await database.withClient(maximumConnections: 8, logger: logger, body)
    }

    private func withServices(_ services: [any Service], _ body: () async throws -> Void) async throws {
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// Thread-safe tallies for the benchmark's handlers.
private final class Counter: Sendable {
    private let storage = Mutex(0)
    func add(_ n: Int) { storage.withLock { $0 += n } }
    var value: Int { storage.withLock { $0 } }
}

private final class Samples: Sendable {
    private let storage = Mutex<[Double]>([])
    func add(_ values: [Double]) { storage.withLock { $0 += values } }
    var count: Int { storage.withLock { $0.count } }
    var all: [Double] { storage.withLock { $0 } }
}

extension Duration {
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
