import EventBus
import Logging
import PostgresNIO
import Store

/// Answers "can this process do its work now?": the database answers a query and the bus
/// answers a ping with this process's key.
public struct ReadinessProbe: Sendable {
    public struct Report: Sendable, Codable, Equatable {
        public var ready: Bool
        public var database: String
        public var bus: String
    }

    let client: PostgresClient
    let logger: Logger
    private let checkBus: @Sendable () async -> String

    /// A service's probe: the bus must answer a ping with this process's key.
    public init(client: PostgresClient, bus: BusEndpoints, logger: Logger) {
        self.client = client
        self.logger = logger
        self.checkBus = {
            do {
                // A ping is answered outside the replay queue, so clients filling that queue
                // cannot take this service out of rotation.
                try await ReplayClient.ping(bus: bus, timeoutMilliseconds: 1000)
                return "ok"
            } catch {
                return "unreachable: \(error)"
            }
        }
    }

    /// A probe whose bus half is `checkBus` ("ok", or what is wrong): the bus process's own.
    public init(client: PostgresClient, logger: Logger, checkBus: @escaping @Sendable () async -> String) {
        self.client = client
        self.logger = logger
        self.checkBus = checkBus
    }

    public func check() async -> Report {
        async let database = checkDatabase()
        async let bus = checkBus()
        let (db, b) = await (database, bus)
        return Report(ready: db == "ok" && b == "ok", database: db, bus: b)
    }

    /// "ok", or why the database cannot be used.
    public func checkDatabase() async -> String {
        do {
            try await client.query("SELECT 1 FROM outbox LIMIT 1", logger: logger)
            return "ok"
        } catch {
            return "unreachable: \(LoggableError.describe(error).prefix(200))"
        }
    }
}
