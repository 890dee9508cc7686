import EventBus
import Logging
import PostgresNIO
import Store

/// Answers "can this process do its work now?": the database answers a query and the bus
/// answers a replay request.
public struct ReadinessProbe: Sendable {
    public struct Report: Sendable, Codable, Equatable {
        public var ready: Bool
        public var database: String
        public var bus: String
    }

    let client: PostgresClient
    let replayEndpoint: String
    let logger: Logger

    public init(client: PostgresClient, replayEndpoint: String, logger: Logger) {
        self.client = client
        self.replayEndpoint = replayEndpoint
        self.logger = logger
    }

    public func check() async -> Report {
        async let database = checkDatabase()
        async let bus = checkBus()
        let (db, b) = await (database, bus)
        return Report(ready: db == "ok" && b == "ok", database: db, bus: b)
    }

    private func checkDatabase() async -> String {
        do {
            try await client.query("SELECT 1 FROM outbox LIMIT 1", logger: logger)
            return "ok"
        } catch {
            return "unreachable: \(LoggableError.describe(error).prefix(200))"
        }
    }

    private func checkBus() async -> String {
        do {
            _ = try await ReplayClient.fetch(ReplayRequest(.topic("shouwang.readiness.probe", after: 0), limit: 0), endpoint: replayEndpoint, timeoutMilliseconds: 1000)
            return "ok"
        } catch {
            return "unreachable: \(error)"
        }
    }
}
