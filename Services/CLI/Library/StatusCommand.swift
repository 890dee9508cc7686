import ArgumentParser
import EventBus
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import ServiceKit
import Store

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show whether the bus and every service are ready, and each stream's relay leader and lag; exits 1 if any is not ready.",
        discussion: """
            Services are asked at http://HOST:PORT/readyz; the bus with a ping from this process's key \
            (SHOUWANG_BUS_SECRET_KEY_FILE); the relays' leaders and lag are read from the database.
            """
    )

    @OptionGroup var options: ServiceOptions

    @Option(name: .customLong("service"), help: "A service to check as NAME=URL (repeatable); default: the four services on 127.0.0.1:8081–8084.")
    var services: [String] = []

    @Flag(help: "Check only the bus (for the bus's own health check).")
    var busOnly = false

    @Option(help: "Seconds to wait for each answer.")
    var timeout: Double = 2

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        var targets: [(String, String)] = [
            ("intake", "http://127.0.0.1:8081"), ("matching", "http://127.0.0.1:8082"),
            ("supplies", "http://127.0.0.1:8083"), ("outreach", "http://127.0.0.1:8084"),
        ]
        if busOnly {
            targets = []
        } else if !services.isEmpty {
            targets = try services.map { entry in
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, URL(string: parts[1]) != nil else { throw ValidationError("--service takes NAME=URL, got '\(entry)'") }
                return (parts[0], parts[1])
            }
        }
        var allReady = true
        do {
            try await ReplayClient.ping(bus: configuration.bus, timeoutMilliseconds: Int32(timeout * 1000))
            print(pad("bus") + "ready     \(configuration.bus.replay)")
        } catch {
            allReady = false
            print(pad("bus") + "NOT READY \(configuration.bus.replay): \(error)")
        }
        for (name, base) in targets {
            let (ready, detail) = await readiness(of: base)
            allReady = allReady && ready
            print(pad(name) + (ready ? "ready     " : "NOT READY ") + "\(base) \(detail)")
        }
        if !busOnly { await printStreams(configuration) }
        if !allReady { throw ExitCode(1) }
    }

    /// Each stream's relay leader and lag, read from the database (the truth even when a
    /// leader has stopped answering).
    private func printStreams(_ configuration: ServiceConfiguration) async {
        let logger = Logger(label: "shouwang.status")
        do {
            let statuses = try await withThrowingTaskGroup(of: [RelayStatus]?.self) { group in
                group.addTask {
                    try await configuration.database.withClient(maximumConnections: 1, logger: logger) { client in
                        try await RelayStatus.all(client: client, logger: logger)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(timeout))
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            guard let statuses else {
                print("\nstreams: the database did not answer within \(timeout) s")
                return
            }
            print("\nstream     relay leader                                   unsequenced  oldest waiting")
            for status in statuses {
                let leader = status.leader ?? "NONE (no relay holds the lock)"
                let lag = status.unsequenced == 0 ? "-" : String(format: "%.1f s", status.lagSeconds)
                print(pad(status.stream) + " " + leader.padding(toLength: 46, withPad: " ", startingAt: 0) + " " + "\(status.unsequenced)".padding(toLength: 12, withPad: " ", startingAt: 0) + " " + lag)
            }
        } catch {
            print("\nstreams: could not read the database: \(error)")
        }
    }

    private func readiness(of base: String) async -> (Bool, String) {
        guard let url = URL(string: base + "/readyz") else { return (false, "bad URL") }
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        do {
            let (body, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            return (status == 200, String(decoding: body, as: UTF8.self))
        } catch {
            return (false, "no answer: \(error.localizedDescription)")
        }
    }

    private func pad(_ name: String) -> String {
        name + String(repeating: " ", count: max(1, 10 - name.count))
    }
}
