import EventBus
import Foundation
import Models
import Store
import TestSupport

/// A private suite for one test: its own database and bus ports, and the processes it
/// starts with the matching environment.
struct Deployment {
    let database: TestDatabase
    let bus: BusEndpoints

    static func create(migrated: Bool = true) async throws -> Deployment {
        let (publish, subscribe, replay) = FreePort.busEndpoints()
        return Deployment(
            database: try await TestDatabase.create(migrated: migrated),
            bus: BusEndpoints(publish: publish, subscribe: subscribe, replay: replay)
        )
    }

    var environment: [String: String] {
        [
            "SHOUWANG_DATABASE_URL": "postgres://\(database.url.username)@\(database.url.host):\(database.url.port)/\(database.url.database)",
            "SHOUWANG_BUS_PUBLISH": bus.publish, "SHOUWANG_BUS_SUBSCRIBE": bus.subscribe, "SHOUWANG_BUS_REPLAY": bus.replay,
            "SHOUWANG_LOG_LEVEL": "info",
        ]
    }

    /// Starts one of the project's executables in this deployment.
    func start(_ executable: String, _ arguments: [String] = [], environment extra: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess(executable, arguments, environment: environment.merging(extra) { $1 })
    }

    /// Starts `shouwang-bus` and waits until its replay endpoint answers.
    func startBus() async throws -> ChildProcess {
        let bus = try start("shouwang-bus")
        let ready = await eventually(timeout: .seconds(30)) {
            (try? await ReplayClient.heads(prefix: "", endpoint: self.bus.replay, timeoutMilliseconds: 300)) != nil
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
