import Foundation
import ServiceKit

/// Load from `wrk` (Debian's package), a separate C process: on a 2-core machine a client
/// in this process would compete with the servers it measures, and URLSession costs more
/// CPU per request than the handlers themselves. One wrk process per replica, each with its
/// own connections; `script` (wrk's Lua) builds every request, reading `environment`.
struct WrkLoad {
    var urls: [String]
    var script: String
    var environment: [String: String]
    /// What one successful request counts for (check-ins in a batch, say).
    var itemsPerRequest: Int
    var connections: Int
    var seconds: Int

    /// Where wrk is, or `nil` when it is not installed.
    static var executable: String? {
        ["/usr/bin/wrk", "/usr/local/bin/wrk"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func run() throws -> LoadResult {
        guard let wrk = Self.executable else {
            throw ConfigurationError("wrk is not installed: apt-get install wrk, or pass --client urlsession")
        }
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("shouwang-checkins-\(UUID().uuidString).lua")
        try self.script.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let perReplica = max(1, connections / urls.count)
        let runs: [(Process, Pipe)] = try urls.enumerated().map { index, url in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: wrk)
            process.arguments = ["-t", "1", "-c", "\(perReplica)", "-d", "\(seconds)s", "--latency", "-s", script.path, url]
            process.environment = environment.merging(["SHOUWANG_BENCH_PREFIX": "W\(index)-\(UUID().uuidString.prefix(8))"]) { $1 }
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            return (process, output)
        }
        let reports = try runs.map { process, output in
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return try WrkReport(text)
        }
        let requests = reports.reduce(0) { $0 + $1.requestsPerSecond }
        let refused = reports.reduce(0) { $0 + $1.non2xx }
        let total = reports.reduce(0) { $0 + $1.requests }
        // Socket errors (timeouts, resets) are not among wrk's completed requests: they count
        // as errors, not against the completed ones.
        let errors = refused + reports.reduce(0) { $0 + $1.socketErrors }
        let succeeded = total > 0 ? requests * Double(max(0, total - refused)) / Double(total) : 0
        return LoadResult(
            itemsPerSecond: succeeded * Double(itemsPerRequest), requestsPerSecond: requests,
            p50: reports.map(\.p50).max() ?? 0, p99: reports.map(\.p99).max() ?? 0, errors: errors
        )
    }

    /// Check-ins for intake: a unique resident code and tube barcode per check-in; reads
    /// `SHOUWANG_BENCH_{TOKEN,ROUND,SITE,ITEMS,SCANNED_AT}`, and with `SHOUWANG_BENCH_KEYED=1`
    /// gives each request its own `Idempotency-Key` (each post then its own transaction).
    static let checkins = #"""
        local env = os.getenv
        local token, round, site = env("SHOUWANG_BENCH_TOKEN"), env("SHOUWANG_BENCH_ROUND"), env("SHOUWANG_BENCH_SITE")
        local items, prefix, scanned = tonumber(env("SHOUWANG_BENCH_ITEMS")), env("SHOUWANG_BENCH_PREFIX"), env("SHOUWANG_BENCH_SCANNED_AT")
        local keyed = env("SHOUWANG_BENCH_KEYED") == "1"
        local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
        local n = 0
        local function item(code)
          return string.format('{"roundId":"%s","siteId":"%s","residentCode":"RES-%s","tubeBarcode":"TUBE-%s","sampleGroup":"G1","scannedAt":"%s","operator":"op1"}',
            round, site, code, code, scanned)
        end
        function request()
          n = n + 1
          if keyed then headers["Idempotency-Key"] = prefix .. "-k" .. n end
          if items == 1 then
            return wrk.format("POST", "/v1/checkins", headers, item(prefix .. "-" .. n))
          end
          local parts = {}
          for i = 1, items do parts[i] = item(prefix .. "-" .. n .. "-" .. i) end
          return wrk.format("POST", "/v1/checkins", headers, '{"items":[' .. table.concat(parts, ",") .. ']}')
        end
        """#
}

/// What wrk printed, read back: requests per second, latency percentiles and errors.
extension WrkLoad {
    /// Reservations of one unit for supplies; reads `SHOUWANG_BENCH_{TOKEN,DEPOT,ITEM}`, and
    /// with `SHOUWANG_BENCH_KEYED=1` gives each request its own `Idempotency-Key` (the path
    /// that writes each reservation alone, beside its key).
    static let reservations = #"""
        local env = os.getenv
        local keyed, prefix = env("SHOUWANG_BENCH_KEYED") == "1", env("SHOUWANG_BENCH_PREFIX")
        local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. env("SHOUWANG_BENCH_TOKEN") }
        local body = string.format('{"depotId":"%s","itemId":"%s","quantity":1}', env("SHOUWANG_BENCH_DEPOT"), env("SHOUWANG_BENCH_ITEM"))
        local n = 0
        function request()
          if keyed then
            n = n + 1
            headers["Idempotency-Key"] = prefix .. "-" .. n
          end
          return wrk.format("POST", "/v1/reservations", headers, body)
        end
        """#
}

struct WrkReport {
    var requests: Int
    var requestsPerSecond: Double
    var p50: Double
    var p99: Double
    /// Completed requests answered with another status than 2xx or 3xx.
    var non2xx: Int
    /// Connect, read, write and timeout errors: requests that never completed.
    var socketErrors: Int

    init(_ text: String) throws {
        func number(after label: String) -> Double? {
            guard let line = text.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }) else {
                return nil
            }
            return Double(line.split(separator: " ").last { Double($0) != nil } ?? "")
        }
        func milliseconds(_ percentile: String) -> Double? {
            guard let line = text.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(percentile) }),
                let value = line.split(separator: " ").last
            else { return nil }
            let units: [(String, Double)] = [("us", 0.001), ("ms", 1), ("s", 1000), ("m", 60_000)]
            for (unit, scale) in units where value.hasSuffix(unit) {
                return Double(value.dropLast(unit.count)).map { $0 * scale }
            }
            return nil
        }
        guard let rate = number(after: "Requests/sec:"), let p50 = milliseconds("50%"), let p99 = milliseconds("99%"),
            let totalLine = text.split(separator: "\n").first(where: { $0.contains("requests in") }),
            let total = Int(totalLine.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        else { throw ConfigurationError("could not read wrk's report:\n\(text)") }
        requests = total
        requestsPerSecond = rate
        self.p50 = p50
        self.p99 = p99
        non2xx = Int(number(after: "Non-2xx or 3xx responses:") ?? 0)
        socketErrors =
            text.split(separator: "\n").first { $0.contains("Socket errors:") }.map { line in
                line.split(separator: ",").compactMap { part in Int(part.split(separator: " ").last ?? "") }.reduce(0, +)
            } ?? 0
    }
}
