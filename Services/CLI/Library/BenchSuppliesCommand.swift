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
            succeed, the rest are refused with 409). Each twice, side by side: with an \
            Idempotency-Key on every request (each written alone, beside its key) and without \
            (coalesced: the reservations waiting together share a transaction and change the \
            lot once). After each phase the lot is checked for oversell. Needs wrk (apt-get \
            install wrk).
            """
    )

    @OptionGroup var options: ServiceOptions

    @Option(help: "How many supplies processes.")
    var replicas: Int = 2

    @Option(help: "Seconds per phase.")
    var seconds: Int = 10

    @Option(help: "Concurrent wrk connections, spread over the replicas.")
    var concurrency: Int = 32

    @Flag(help: "Skip the one-by-one phases (requests with an Idempotency-Key).")
    var onlyCoalesced = false

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
        let phases = [
            ("plenty, one by one (each with an Idempotency-Key)", 10_000_000, true),
            ("plenty, coalesced (no key)", 10_000_000, false),
            ("scarce: 200 in stock, one by one", 200, true),
            ("scarce: 200 in stock, coalesced", 200, false),
        ]
        for (name, stock, keyed) in phases where !(keyed && onlyCoalesced) {
            let item = try await replicas.create(
                base + "/v1/items", #"{"name":"KN95 \#(stock) \#(rows.count)","unit":"只","category":"protective-equipment"}"#,
                token: token)
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
                environment: [
                    "SHOUWANG_BENCH_TOKEN": token, "SHOUWANG_BENCH_DEPOT": depot, "SHOUWANG_BENCH_ITEM": item,
                    "SHOUWANG_BENCH_KEYED": keyed ? "1" : "0",
                ],
                itemsPerRequest: 1, connections: concurrency, seconds: seconds
            )
            rows.append((name, try await ZMQOwnerThread.run(name: "wrk") { try load.run() }))
            let held = try await Self.held(item: item, configuration.database, logger: logger)
            guard held <= stock else { throw ConfigurationError("oversold: \(held) reserved of \(stock)") }
            print("  \(held) reserved of \(stock) in stock.")
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

    /// How many units of `item` are reserved, read straight from the balances.
    static func held(item: String, _ database: DatabaseURL, logger: Logger) async throws -> Int {
        let client = PostgresClient(configuration: database.clientConfiguration(maximumConnections: 1), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            let held =
                try await client.query(
                    "SELECT coalesce(sum(reserved), 0)::int FROM stock_balances WHERE item_id = \(UUID(uuidString: item) ?? UUID())",
                    logger: logger
                ).decode(Int.self).collectAll().first ?? 0
            group.cancelAll()
            return held
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
