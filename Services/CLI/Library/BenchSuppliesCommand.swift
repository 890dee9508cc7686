import ArgumentParser
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store
import ZeroMQ

struct BenchSuppliesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supplies",
        abstract: "Reservations per second under contention: many clients reserving one item at one depot through N supplies processes.",
        discussion: """
            Starts --replicas shouwang-supplies processes against SHOUWANG_DATABASE_URL (use a fresh \
            database), creates an item and a depot, then for --seconds each: reservations of one \
            unit from --concurrency wrk connections against a lot of 10,000,000 (every reservation \
            succeeds; all of them queue on the same lot), and against 200 units (the first 200 \
            succeed, the rest are refused with 409). Needs wrk (apt-get install wrk).
            """
    )

    @OptionGroup var options: ServiceOptions

    @Option(help: "How many supplies processes.")
    var replicas: Int = 2

    @Option(help: "Seconds per phase.")
    var seconds: Int = 10

    @Option(help: "Concurrent wrk connections, spread over the replicas.")
    var concurrency: Int = 32

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        Observability.bootstrap(logLevel: .warning)
        let logger = Logger(label: "shouwang.bench")
        try await Migrator(AllMigrations.all).migrate(configuration.database, logger: logger)
        try await Self.loadGeography(configuration.database, logger: logger)
        let replicas = try await BenchProcesses.start("shouwang-supplies", replicas: replicas, configuration: configuration)
        defer { replicas.stop() }
        let token = try replicas.token(.staff, area: "320505-001")
        let base = replicas.urls[0]
        let depot = try await replicas.create(
            base + "/v1/depots", #"{"name":"bench depot","kind":"social-work-station","area":"320505-001-001"}"#, token: token)
        var rows: [(String, LoadResult)] = []
        for (name, stock) in [("plenty: 10,000,000 in stock", 10_000_000), ("scarce: 200 in stock", 200)] {
            let item = try await replicas.create(
                base + "/v1/items", #"{"name":"KN95 \#(stock)","unit":"只","category":"protective-equipment"}"#, token: token)
            let receipt = try await replicas.send(
                base + "/v1/receipts", method: "POST",
                body: Data(#"{"depotId":"\#(depot)","lines":[{"itemId":"\#(item)","quantity":\#(stock)}]}"#.utf8), token: token
            )
            guard receipt.status == 201 else {
                throw ConfigurationError("receipt failed: \(String(decoding: receipt.body, as: UTF8.self))")
            }
            print("Reserving, \(name), for \(seconds) s…")
            let load = WrkLoad(
                urls: replicas.urls, script: WrkLoad.reservations,
                environment: ["SHOUWANG_BENCH_TOKEN": token, "SHOUWANG_BENCH_DEPOT": depot, "SHOUWANG_BENCH_ITEM": item],
                itemsPerRequest: 1, connections: concurrency, seconds: seconds
            )
            rows.append((name, try await ZMQOwnerThread.run(name: "wrk") { try load.run() }))
        }
        print("")
        print(
            BenchmarkReport.machine()
                + " \(replicas.urls.count) supplies replica(s), \(concurrency) wrk connections, \(seconds) s per phase.")
        print("")
        print("| phase | reservations/s | requests/s | p50 | p99 | refused or failed |")
        print("| --- | --- | --- | --- | --- | --- |")
        for (name, result) in rows {
            print(
                "| \(name) | \(Int(result.itemsPerSecond)) | \(Int(result.requestsPerSecond)) | \(BenchmarkReport.milliseconds(result.p50)) ms | \(BenchmarkReport.milliseconds(result.p99)) ms | \(result.errors) |"
            )
        }
    }

    /// The few areas the benchmark's depot needs (intake owns the table; this is a test bench).
    static func loadGeography(_ database: DatabaseURL, logger: Logger) async throws {
        let client = PostgresClient(configuration: database.clientConfiguration(maximumConnections: 1), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(
                """
                INSERT INTO areas (code, parent, level, name) VALUES ('320505', NULL, 'district', 'd'),
                  ('320505-001', '320505', 'street', 's'), ('320505-001-001', '320505-001', 'community', 'c')
                ON CONFLICT (code) DO NOTHING
                """,
                logger: logger
            )
            group.cancelAll()
        }
    }
}
