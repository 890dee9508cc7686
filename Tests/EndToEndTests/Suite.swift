import EventBus
import Foundation
import Models
import Store
import TestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A private suite for one test: its own database and secured bus, and the processes it
/// starts with the matching environment — each with a bus key of its own.
struct Deployment {
    let database: TestDatabase
    let testBus: TestBus

    /// The bus's endpoints (without credentials).
    var bus: BusEndpoints { testBus.anonymous }

    static func create(migrated: Bool = true) async throws -> Deployment {
        let database = try await TestDatabase.create(migrated: migrated)
        return Deployment(database: database, testBus: try TestBus.create(database))
    }

    var environment: [String: String] {
        [
            "SHOUWANG_DATABASE_URL":
                "postgres://\(database.url.username)@\(database.url.host):\(database.url.port)/\(database.url.database)",
            "SHOUWANG_BUS_PUBLISH": bus.publish, "SHOUWANG_BUS_SUBSCRIBE": bus.subscribe, "SHOUWANG_BUS_REPLAY": bus.replay,
            "SHOUWANG_LOG_LEVEL": "info",
        ]
    }

    /// A service key for `stream`, registered in this deployment's database (whose core
    /// tables are created first if the test started from an empty database).
    func key(stream: String) async throws -> BusEndpoints {
        try await Migrator(CoreMigrations.all).migrate(database.url, logger: .test)
        return try await testBus.client("\(stream)-\(UUID().uuidString.prefix(8).lowercased())", role: .service, stream: stream)
    }

    /// Starts one of the project's executables in this deployment, with a bus key that may
    /// publish `stream` (by default the service's own: `shouwang-intake` → `intake`; `tool`
    /// for the CLI) and read everything. `keyless` starts it with no key at all.
    /// A key registered moments ago reaches a bus process within its 2 s reload: a test
    /// that starts many short processes passes one `key` to all of them.
    func start(
        _ executable: String, _ arguments: [String] = [], stream: String? = nil, keyless: Bool = false, key given: BusEndpoints? = nil,
        environment extra: [String: String] = [:]
    ) async throws -> ChildProcess {
        var environment = environment
        if !keyless {
            let stream = stream ?? (executable.hasPrefix("shouwang-") ? String(executable.dropFirst("shouwang-".count)) : "tool")
            var endpoints = given
            if endpoints == nil { endpoints = try await key(stream: stream) }
            environment.merge(try TestBus.clientEnvironment(endpoints!)) { $1 }
        }
        return try ChildProcess(executable, arguments, environment: environment.merging(extra) { $1 })
    }

    /// Starts `shouwang-bus` (its HTTP endpoints on `httpPort`, `extra` added to its
    /// environment) and waits until it answers a ping from a registered key.
    func startBus(httpPort: Int = FreePort.next(), environment extra: [String: String] = [:]) async throws -> ChildProcess {
        let bus = try ChildProcess(
            "shouwang-bus", ["--port", "\(httpPort)"],
            environment: environment.merging(try testBus.serverEnvironment()) { $1 }.merging(extra) { $1 })
        let probe = try await key(stream: "probe")
        let ready = await eventually(timeout: .seconds(30)) {
            (try? await ReplayClient.ping(bus: probe, timeoutMilliseconds: 300)) != nil
        }
        guard ready else { throw TestSetupError("shouwang-bus did not become ready:\n\(bus.errorOutput)") }
        return bus
    }
}

/// The events a `shouwang tail` printed, one JSON envelope per line.
func printedEvents(_ output: String) throws -> [EventEnvelope] {
    let decoder = JSONDecoder()
    return try output.split(separator: "\n").map { try decoder.decode(EventEnvelope.self, from: Data($0.utf8)) }
}

/// Whether, per topic, the sequence numbers run 1, 2, 3… without gap or repeat.
func isGapFreePerTopic(_ events: [EventEnvelope]) -> Bool {
    Dictionary(grouping: events, by: \.topic).values.allSatisfy { group in
        group.map(\.seq) == Array(1...Int64(group.count))
    }
}

func lineCount(_ text: String) -> Int {
    text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
}

/// The HTTP status `url` answers within `timeout` seconds; 0 when nothing answers.
func httpStatus(_ url: String, timeout: Double = 1) async -> Int {
    var request = URLRequest(url: URL(string: url)!)
    request.timeoutInterval = timeout
    return ((try? await URLSession.shared.data(for: request))?.1 as? HTTPURLResponse)?.statusCode ?? 0
}

/// Whether `url` answers 200 within 30 s: a started process is up.
func answers(_ url: String) async -> Bool {
    await eventually(timeout: .seconds(30), every: .milliseconds(200)) { await httpStatus(url) == 200 }
}

/// What a command printed and how it ended.
struct CommandRun {
    var status: Int32
    var output: String
    var errors: String
}

/// Runs `executable` with `arguments` in `directory`, with our environment minus `removing`
/// plus `environment`; output goes through files (never pipes, which block a chatty child).
func runCommand(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], removing: [String] = [], in directory: URL
) throws -> CommandRun {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shouwang-command-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let outputURL = folder.appendingPathComponent("stdout")
    let errorURL = folder.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
    let output = try FileHandle(forWritingTo: outputURL)
    let errors = try FileHandle(forWritingTo: errorURL)
    var inherited = ProcessInfo.processInfo.environment
    for variable in removing { inherited[variable] = nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = inherited.merging(environment) { $1 }
    process.currentDirectoryURL = directory
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    process.waitUntilExit()
    try output.close()
    try errors.close()
    return CommandRun(
        status: process.terminationStatus,
        output: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
        errors: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self)
    )
}

/// Sends `json` to `url` with a bearer `token` and an `Idempotency-Key` when given; returns
/// the status and the body.
func sendJSON(_ url: String, method: String = "POST", token: String?, key: String? = nil, json: String) async throws -> (Int, String) {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    request.httpBody = Data(json.utf8)
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    if let key { request.setValue(key, forHTTPHeaderField: "Idempotency-Key") }
    let (body, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: body, as: UTF8.self))
}
