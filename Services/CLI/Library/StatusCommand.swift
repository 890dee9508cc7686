import ArgumentParser
import EventBus
import Foundation
import Logging
import ServiceKit
import Store

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show whether the bus, every service and every replica are ready, and each stream's relay leader and lag; exits 1 if any is not ready.",
        discussion: """
            Services are asked at http://HOST:PORT/readyz; the bus with a ping from this process's key \
            (SHOUWANG_BUS_SECRET_KEY_FILE); the relays' leaders and lag, and every replica that registered \
            itself (each then asked at its own /readyz), are read from the database. With --service, only \
            the named services are checked.
            """
    )

    @OptionGroup var options: ServiceOptions

    @Option(
        name: .customLong("service"),
        help: "A service to check as NAME=URL (repeatable); default: the four services on 127.0.0.1 at their default ports.")
    var services: [String] = []

    @Flag(help: "Check only the bus (for the bus's own health check).")
    var busOnly = false

    @Option(help: "Seconds to wait for each answer.")
    var timeout: Double = 2

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        var targets = AllServices.localURLs
        if busOnly {
            targets = []
        } else if !services.isEmpty {
            targets = try services.map { entry in
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, URL(string: parts[1]) != nil else {
                    throw ValidationError("--service takes NAME=URL, got '\(entry)'")
                }
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
        if !busOnly && services.isEmpty {
            // The default targets may be a balancer: list every replica behind it too.
            allReady = await printReplicas(configuration) && allReady
        }
        if !busOnly { await printStreams(configuration) }
        if !allReady { throw ExitCode(1) }
    }

    /// Every replica that registered itself in the last hour, each asked for readiness;
    /// `false` when a running one is not ready.
    private func printReplicas(_ configuration: ServiceConfiguration) async -> Bool {
        let logger = Logger(label: "shouwang.status")
        let found: (running: [ServiceReplica], gone: Int)?
        do {
            found = try await withinTimeout {
                try await configuration.database.withClient(maximumConnections: 1, logger: logger) { client in
                    try await ServiceReplica.running(client: client, logger: logger)
                }
            }
        } catch {
            print("\nreplicas: could not read the database: \(error)")
            return true
        }
        guard let found else {
            print("\nreplicas: the database did not answer within \(timeout) s")
            return true
        }
        let answers = await withTaskGroup(of: (Int, Bool, String).self) { group in
            for (index, replica) in found.running.enumerated() {
                group.addTask {
                    let (ready, detail) = await readiness(of: replica.httpURL)
                    return (index, ready, detail)
                }
            }
            var answers: [Int: (Bool, String)] = [:]
            for await (index, ready, detail) in group { answers[index] = (ready, detail) }
            return answers
        }
        print("\nreplica    instance                       url                            state")
        var allReady = true
        for (index, replica) in found.running.enumerated() {
            let (ready, detail) = answers[index] ?? (false, "")
            allReady = allReady && ready
            print(
                pad(replica.service) + " " + replica.instance.padding(toLength: 30, withPad: " ", startingAt: 0) + " "
                    + replica.httpURL.padding(toLength: 30, withPad: " ", startingAt: 0) + " " + (ready ? "ready" : "NOT READY \(detail)")
            )
        }
        if found.running.isEmpty { print("(none registered: are the services running against this database?)") }
        if found.gone > 0 {
            print("\(found.gone) replica(s) stopped or unseen for over \(ServiceReplica.freshness.components.seconds) s in the last hour")
        }
        return allReady
    }

    /// `work`'s result, or `nil` when it takes longer than `--timeout`.
    private func withinTimeout<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// Each stream's relay leader and lag, read from the database (the truth even when a
    /// leader has stopped answering).
    private func printStreams(_ configuration: ServiceConfiguration) async {
        let logger = Logger(label: "shouwang.status")
        do {
            let statuses = try await withinTimeout {
                try await configuration.database.withClient(maximumConnections: 1, logger: logger) { client in
                    try await RelayStatus.all(client: client, logger: logger)
                }
            }
            guard let statuses else {
                print("\nstreams: the database did not answer within \(timeout) s")
                return
            }
            print("\nstream     relay leader                                   unsequenced  oldest waiting")
            for status in statuses {
                let leader = status.leader ?? "NONE (no relay holds the lock)"
                let lag = status.unsequenced == 0 ? "-" : String(format: "%.1f s", status.lagSeconds)
                print(
                    pad(status.stream) + " " + leader.padding(toLength: 46, withPad: " ", startingAt: 0) + " "
                        + "\(status.unsequenced)".padding(toLength: 12, withPad: " ", startingAt: 0) + " " + lag)
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
