import ArgumentParser
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store
import ZeroMQ

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

struct BenchIntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake",
        abstract: "A testing-surge of check-ins against N intake processes, next to plain INSERTs of the same rows.",
        discussion: """
            Starts --replicas shouwang-intake processes (the binaries beside this one) on free ports \
            (with --balancer behind the local suite's HAProxy; a list such as 1,2,4 measures each count \
            in turn, side by side) against SHOUWANG_DATABASE_URL — use a fresh database — loads a small geography, a round \
            and a site, then for --seconds each: batches of 100 from --concurrency clients (with wrk \
            twice, side by side: each with an Idempotency-Key, so each post is its own transaction, \
            and without, so posts arriving together share one), single posts from --concurrency \
            clients, and the same batches INSERTed straight into PostgreSQL \
            over --concurrency connections (the floor). HTTP load comes from wrk (one process per \
            replica, installed by Deploy/local/up.sh) unless --client urlsession asks for tasks in \
            this process; with several replicas p50 and p99 are the worst replica's.
            """
    )

    @OptionGroup var options: ServiceOptions

    @Option(help: "How many intake processes; a list (1,2,4) runs each count in turn, side by side in one report.")
    var replicas: String = "2"

    @Flag(help: "Put the replicas behind the local suite's HAProxy balancer (Deploy/local/balancer.sh), every client posting through it.")
    var balancer = false

    @Option(help: "The balancer's config script (with --balancer).")
    var balancerScript = "Deploy/local/balancer.sh"

    @Option(help: "Seconds per phase.")
    var seconds: Int = 10

    @Option(help: "Concurrent clients (and database connections for the floor).")
    var concurrency: Int = 16

    enum Client: String, ExpressibleByArgument, CaseIterable {
        case wrk, urlsession
    }

    @Option(help: "Where HTTP load comes from: wrk (a separate process) or urlsession (tasks in this process).")
    var client: Client = WrkLoad.executable == nil ? .urlsession : .wrk

    func validate() throws {
        guard !counts.isEmpty, counts.allSatisfy({ (1...32).contains($0) }) else {
            throw ValidationError("--replicas takes counts from 1 to 32, e.g. 2 or 1,2,4; got '\(replicas)'")
        }
        guard seconds > 0, concurrency > 0 else { throw ValidationError("--seconds and --concurrency must be at least 1") }
    }

    private var counts: [Int] { replicas.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        Observability.bootstrap(logLevel: .warning)
        let logger = Logger(label: "shouwang.bench")
        try await Migrator(AllMigrations.all).migrate(configuration.database, logger: logger)
        let script = balancer ? URL(fileURLWithPath: balancerScript) : nil
        var rows: [(replicas: Int, phase: String, result: IntakeSurge.Result)] = []
        var seeded: (round: String, site: String)?
        for count in counts {
            let surge = try await IntakeSurge.start(replicas: count, configuration: configuration, balancer: script)
            defer { surge.stop() }
            print("\(count) replica(s)\(balancer ? " behind the balancer" : ""): seeding geography, round and site…")
            let (round, site) = try await surge.seed()
            seeded = (round, site)
            if client == .wrk {
                print("  batches of 100, each with an Idempotency-Key, for \(seconds) s (wrk)…")
                rows.append(
                    (
                        count, "batches of 100 via HTTP, each alone (Idempotency-Key)",
                        try await post(surge, round: round, site: site, itemsPerRequest: 100, keyed: true)
                    ))
            }
            print("  batches of 100 for \(seconds) s (\(client.rawValue))…")
            rows.append(
                (count, "batches of 100 via HTTP, coalesced", try await post(surge, round: round, site: site, itemsPerRequest: 100)))
            print("  single posts for \(seconds) s (\(client.rawValue))…")
            rows.append((count, "single posts via HTTP", try await post(surge, round: round, site: site, itemsPerRequest: 1)))
            surge.stop()
        }
        guard let (round, site) = seeded else { return }
        print("Plain INSERTs of the same batches for \(seconds) s…")
        let floor = try await IntakeSurge.plainInserts(
            database: configuration.database, round: round, site: site, seconds: seconds, concurrency: concurrency, logger: logger
        )
        print("")
        print(
            BenchmarkReport.machine() + " \(replicas) intake replica(s)\(balancer ? " behind HAProxy (on the same cores)" : ""), "
                + "\(concurrency) clients (\(client.rawValue)), \(seconds) s per phase."
        )
        print("")
        print("| replicas | phase | check-ins/s | requests/s | p50 | p99 | errors |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for (count, name, result) in rows {
            print(
                "| \(count) | \(name) | \(Int(result.itemsPerSecond)) | \(Int(result.requestsPerSecond)) | \(BenchmarkReport.milliseconds(result.p50)) ms | \(BenchmarkReport.milliseconds(result.p99)) ms | \(result.errors) |"
            )
        }
        print("| – | plain INSERT … UNNEST, batches of 100 | \(Int(floor)) | – | – | – | – |")
    }

    /// Check-ins posted `itemsPerRequest` at a time for `seconds`, from the chosen client.
    private func post(_ surge: IntakeSurge, round: String, site: String, itemsPerRequest: Int, keyed: Bool = false) async throws
        -> IntakeSurge.Result
    {
        switch client {
        case .wrk:
            let load = WrkLoad(
                urls: surge.urls, script: WrkLoad.checkins,
                environment: [
                    "SHOUWANG_BENCH_TOKEN": surge.deviceToken, "SHOUWANG_BENCH_ROUND": round, "SHOUWANG_BENCH_SITE": site,
                    "SHOUWANG_BENCH_ITEMS": "\(itemsPerRequest)", "SHOUWANG_BENCH_SCANNED_AT": IntakeSurge.scannedAt,
                    "SHOUWANG_BENCH_KEYED": keyed ? "1" : "0",
                ],
                itemsPerRequest: itemsPerRequest, connections: concurrency, seconds: seconds
            )
            // wrk's output is read with blocking calls: on a thread of its own, not the pool's.
            return try await ZMQOwnerThread.run(name: "wrk") { try load.run() }
        case .urlsession:
            return try await surge.measure(seconds: seconds, concurrency: concurrency) { worker, n in
                let code = "\(itemsPerRequest == 1 ? "S" : "B")\(worker)-\(n)"
                let body =
                    itemsPerRequest == 1
                    ? IntakeSurge.single(round: round, site: site, code: code)
                    : IntakeSurge.batch(round: round, site: site, prefix: code, count: itemsPerRequest)
                return (surge.url(worker) + "/v1/checkins", body, itemsPerRequest)
            }
        }
    }
}
