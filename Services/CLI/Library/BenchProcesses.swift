import Foundation
import Models
import ServiceKit

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Replicas of one service started by a benchmark (the binaries beside this one), on free
/// ports, against the benchmark's database, sharing a fresh token secret.
final class BenchProcesses: Sendable {
    let urls: [String]
    let processes: [Process]
    let signer: TokenSigner

    struct Answer {
        var status: Int
        var body: Data
    }

    private init(urls: [String], processes: [Process], signer: TokenSigner) {
        self.urls = urls
        self.processes = processes
        self.signer = signer
    }

    /// Starts `replicas` of `executable` and waits until each answers `/healthz`.
    static func start(_ executable: String, replicas: Int, configuration: ServiceConfiguration, environment: [String: String] = [:])
        async throws -> BenchProcesses
    {
        let secret = UUID().uuidString
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(executable)
        var processes: [Process] = []
        var urls: [String] = []
        for _ in 0..<replicas {
            let port = LoopbackPort.free()
            let process = Process()
            process.executableURL = binary
            process.arguments = ["--port", "\(port)", "--log-level", "warning"]
            process.environment = ProcessInfo.processInfo.environment.merging(
                [
                    "SHOUWANG_DATABASE_URL": configuration.database.connectionString,
                    "SHOUWANG_TOKEN_SECRET": secret,
                ].merging(environment) { $1 }
            ) { $1 }
            try process.run()
            processes.append(process)
            urls.append("http://127.0.0.1:\(port)")
        }
        let started = BenchProcesses(urls: urls, processes: processes, signer: TokenSigner(secret: secret))
        for url in urls {
            var up = false
            for _ in 0..<150 where !up {
                up = (try? await started.send(url + "/healthz", method: "GET", body: nil, token: nil).status) == 200
                if !up { try await Task.sleep(for: .milliseconds(200)) }
            }
            guard up else {
                started.stop()
                throw ConfigurationError("\(executable) at \(url) did not start; is \(binary.path) built?")
            }
        }
        return started
    }

    /// The same replicas behind HAProxy configured by `script` (Deploy/local/balancer.sh, the
    /// local suite's own balancer): ``urls`` becomes the balancer's one address.
    func behindBalancer(script: URL, service: String) async throws -> BenchProcesses {
        guard let haproxy = ["/usr/sbin/haproxy", "/usr/bin/haproxy"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw ConfigurationError("haproxy is not installed: apt-get install haproxy (Deploy/local/up.sh does)")
        }
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw ConfigurationError("\(script.path) is missing: run the benchmark from the checkout, or pass --balancer-script")
        }
        let port = LoopbackPort.free()
        let stats = LoopbackPort.free()
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("shouwang-bench-\(UUID().uuidString).cfg")
        let servers = urls.compactMap { URL(string: $0)?.port }.map(String.init).joined(separator: ",")
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/bash")
        writer.arguments = [
            "-c", #"set -e; die() { echo "$*" >&2; exit 1; }; source "$0"; write_balancer_config "$1" 127.0.0.1 "$2" "$3""#,
            script.path, config.path, "\(stats)", "\(service):\(port):\(servers)",
        ]
        try writer.run()
        writer.waitUntilExit()
        guard writer.terminationStatus == 0 else { throw ConfigurationError("\(script.path) could not write the balancer's config") }
        let balancer = Process()
        balancer.executableURL = URL(fileURLWithPath: haproxy)
        balancer.arguments = ["-db", "-f", config.path]
        balancer.standardOutput = FileHandle.nullDevice
        balancer.standardError = FileHandle.nullDevice
        try balancer.run()
        let balanced = BenchProcesses(urls: ["http://127.0.0.1:\(port)"], processes: processes + [balancer], signer: signer)
        for _ in 0..<100 {
            if (try? await send(balanced.urls[0] + "/healthz", method: "GET", body: nil, token: nil).status) == 200 { return balanced }
            try await Task.sleep(for: .milliseconds(100))
        }
        balanced.stop()
        throw ConfigurationError("the balancer on port \(port) did not answer")
    }

    func stop() {
        for process in processes where process.isRunning { process.terminate() }
    }

    func url(_ worker: Int) -> String { urls[worker % urls.count] }

    /// A token for `role` in `area`, valid for an hour.
    func token(_ role: AccessRole, area: String?) throws -> String {
        try signer.issue(
            AccessToken(
                subject: "bench-\(role.rawValue)", role: role, area: area.flatMap(AreaCode.init), expiresAt: Date().addingTimeInterval(3600)
            ))
    }

    func send(_ url: String, method: String, body: Data?, token: String?) async throws -> Answer {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Answer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }

    /// Posts `json` and returns the `id` of what was created.
    func create(_ url: String, _ json: String, token: String) async throws -> String {
        let answer = try await send(url, method: "POST", body: Data(json.utf8), token: token)
        guard answer.status == 201, let id = try JSONParser.parse(Array(answer.body))["id"]?.stringValue else {
            throw ConfigurationError("seeding failed at \(url): \(answer.status) \(String(decoding: answer.body, as: UTF8.self))")
        }
        return id
    }
}

/// What an HTTP load phase measured.
struct LoadResult {
    var itemsPerSecond: Double
    var requestsPerSecond: Double
    var p50: Double
    var p99: Double
    var errors: Int
}
