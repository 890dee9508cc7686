import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// N intake processes started by the benchmark, and the load it puts on them.
final class IntakeSurge: Sendable {
    let replicas: BenchProcesses
    let token: String
    let deviceToken: String

    typealias Result = LoadResult

    var urls: [String] { replicas.urls }

    private init(replicas: BenchProcesses) throws {
        self.replicas = replicas
        token = try replicas.token(.operator, area: nil)
        deviceToken = try replicas.token(.device, area: "320505-001-001")
    }

    /// Starts `replicas` intake processes, behind the local balancer when `balancer` names
    /// its script (Deploy/local/balancer.sh).
    static func start(replicas: Int, configuration: ServiceConfiguration, balancer: URL? = nil) async throws -> IntakeSurge {
        var processes = try await BenchProcesses.start(
            "shouwang-intake", replicas: replicas, configuration: configuration,
            environment: ["SHOUWANG_INTAKE_PUBLIC_PER_MINUTE": "1000000", "SHOUWANG_TRUSTED_PROXIES": "127.0.0.1"]
        )
        if let balancer {
            do {
                processes = try await processes.behindBalancer(script: balancer, service: "intake")
            } catch {
                processes.stop()
                throw error
            }
        }
        return try IntakeSurge(replicas: processes)
    }

    func stop() { replicas.stop() }

    func url(_ worker: Int) -> String { replicas.url(worker) }

    func send(_ url: String, method: String, body: Data?, token: String?) async throws -> BenchProcesses.Answer {
        try await replicas.send(url, method: method, body: body, token: token)
    }

    func seed() async throws -> (round: String, site: String) {
        let areas =
            #"[{"code":"320505","name":"d"},{"code":"320505-001","name":"s"},{"code":"320505-001-001","name":"c"},{"code":"320505-001-001-01","name":"x"}]"#
        _ = try await send(urls[0] + "/v1/areas", method: "PUT", body: Data(areas.utf8), token: token)
        let round = try await send(
            urls[0] + "/v1/testing-rounds", method: "POST",
            body: Data(#"{"name":"bench","area":"320505-001","startsAt":"2026-01-01T00:00:00Z","endsAt":"2027-01-01T00:00:00Z"}"#.utf8),
            token: token)
        let roundID = try JSONParser.parse(Array(round.body))["id"]?.stringValue ?? ""
        let site = try await send(
            urls[0] + "/v1/testing-rounds/\(roundID)/sites", method: "POST",
            body: Data(#"{"area":"320505-001-001","name":"bench","opensAt":"00:00","closesAt":"23:59","expectedPopulation":5000000}"#.utf8),
            token: token)
        guard let siteID = try JSONParser.parse(Array(site.body))["id"]?.stringValue, UUID(uuidString: roundID) != nil else {
            throw ConfigurationError(
                "seeding failed: \(String(decoding: round.body, as: UTF8.self)) \(String(decoding: site.body, as: UTF8.self))")
        }
        return (roundID, siteID)
    }

    static let scannedAt = Timestamp.format(Date().addingTimeInterval(-60))

    static func item(round: String, site: String, code: String) -> String {
        #"{"roundId":"\#(round)","siteId":"\#(site)","residentCode":"RES-\#(code)","tubeBarcode":"TUBE-\#(code)","sampleGroup":"G1","scannedAt":"\#(scannedAt)","operator":"op1"}"#
    }

    static func batch(round: String, site: String, prefix: String, count: Int) -> Data {
        Data(#"{"items":[\#((0..<count).map { item(round: round, site: site, code: "\(prefix)-\($0)") }.joined(separator: ","))]}"#.utf8)
    }

    static func single(round: String, site: String, code: String) -> Data {
        Data(item(round: round, site: site, code: code).utf8)
    }

    /// `concurrency` clients post what `make` gives them until `seconds` pass.
    func measure(seconds: Int, concurrency: Int, _ make: @escaping @Sendable (Int, Int) -> (String, Data, Int)) async throws -> Result {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        let outcomes = try await withThrowingTaskGroup(of: (latencies: [Double], items: Int, errors: Int).self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var latencies: [Double] = []
                    var items = 0
                    var errors = 0
                    var n = 0
                    while ContinuousClock.now < deadline {
                        let (url, body, count) = make(worker, n)
                        n += 1
                        let start = ContinuousClock.now
                        let status = (try? await self.send(url, method: "POST", body: body, token: self.deviceToken).status) ?? 0
                        latencies.append((ContinuousClock.now - start).milliseconds)
                        if status == 200 || status == 201 { items += count } else { errors += 1 }
                    }
                    return (latencies, items, errors)
                }
            }
            return try await group.reduce(into: [(latencies: [Double], items: Int, errors: Int)]()) { $0.append($1) }
        }
        let elapsed = (ContinuousClock.now - started).seconds
        let latencies = Percentiles(outcomes.flatMap(\.latencies))
        return Result(
            itemsPerSecond: Double(outcomes.reduce(0) { $0 + $1.items }) / elapsed, requestsPerSecond: Double(latencies.count) / elapsed,
            p50: latencies.at(0.5), p99: latencies.at(0.99), errors: outcomes.reduce(0) { $0 + $1.errors }
        )
    }

    /// The floor: the same rows straight into PostgreSQL, one UNNEST statement per batch.
    static func plainInserts(database: DatabaseURL, round: String, site: String, seconds: Int, concurrency: Int, logger: Logger)
        async throws -> Double
    {
        let client = PostgresClient(configuration: database.clientConfiguration(maximumConnections: concurrency), backgroundLogger: logger)
        let roundID = UUID(uuidString: round)!
        let siteID = UUID(uuidString: site)!
        let scanned = Timestamp.parse(scannedAt)!
        return try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                await client.run()
                return 0
            }
            let deadline = ContinuousClock.now + .seconds(seconds)
            let started = ContinuousClock.now
            let inserted = try await withThrowingTaskGroup(of: Int.self) { workers in
                for worker in 0..<concurrency {
                    workers.addTask {
                        var rows = 0
                        var n = 0
                        while ContinuousClock.now < deadline {
                            let codes = (0..<100).map { "P\(worker)-\(n)-\($0)" }
                            n += 1
                            try await client.query(
                                """
                                INSERT INTO checkins (round_id, site_id, resident_code, tube_barcode, sample_group, scanned_at, operator)
                                SELECT \(roundID), \(siteID), 'R' || c, 'T' || c, 'G1', \(scanned), 'op1' FROM UNNEST(\(codes)::text[]) AS c
                                """,
                                logger: logger
                            )
                            rows += 100
                        }
                        return rows
                    }
                }
                return try await workers.reduce(0, +)
            }
            let rate = Double(inserted) / (ContinuousClock.now - started).seconds
            group.cancelAll()
            return rate
        }
    }
}

extension Duration {
    var milliseconds: Double { seconds * 1000 }
}
