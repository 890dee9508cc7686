import EventBus
import Foundation
import Hummingbird
import HummingbirdTesting
import Models
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Store

/// One service's router on a database of its own, with tokens signed by a test secret:
/// what a service's HTTP tests run against. Background services (relays, consumers) run
/// beside the router for the length of ``run(bus:extraServices:_:)``.
public struct ServiceHarness: Sendable {
    public static let secret = "service-test-secret"
    static let registry = Observability.bootstrap(logLevel: .warning)

    public let database: TestDatabase
    public let description: ServiceDescription

    /// A fresh database with the core migrations, `migrations` (the components this service
    /// reads), and the service's own.
    public static func create(_ description: ServiceDescription, alsoMigrating migrations: [Migration] = []) async throws -> ServiceHarness
    {
        ServiceHarness(
            database: try await TestDatabase.create(migrations: CoreMigrations.all + migrations + description.migrations),
            description: description)
    }

    public static func token(_ role: AccessRole, _ area: String?, subject: String = "tester") -> String {
        let access = AccessToken(
            subject: subject, role: role, area: area.flatMap(AreaCode.init), expiresAt: Date().addingTimeInterval(3600))
        return try! TokenSigner(secret: secret).issue(access)
    }

    /// Runs `body` against the router, with the service's own background services and
    /// `extraServices(client)` running until it returns.
    public func run(
        bus: BusEndpoints? = nil,
        extraServices: @escaping @Sendable (PostgresClient) -> [any Service] = { _ in [] },
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await database.withClient { client in
            var configuration = ServiceConfiguration(database: database.url, bus: bus ?? Self.unusedBus, httpPort: 0)
            configuration.tokenSecret = Self.secret
            let dependencies = ServiceDependencies(service: description.name, client: client, configuration: configuration, logger: .test)
            let (router, services) = ServiceApplication.buildRouter(description, dependencies: dependencies, registry: Self.registry)
            try await withRunningServices(services + extraServices(client)) {
                try await Application(router: router, logger: .test).test(.router) { client in try await body(client) }
            }
        }
    }

    /// Events written to the outbox under `topic`, in order.
    public func events(_ topic: String) async throws -> [JSONValue] {
        try await database.withClient { client in
            var events: [JSONValue] = []
            for try await data in try await client.query(
                "SELECT data::text FROM outbox WHERE topic = \(topic) ORDER BY position", logger: .test
            ).decode(String.self) {
                events.append(try JSONParser.parse(Array(data.utf8)))
            }
            return events
        }
    }

    public func count(_ sql: String) async throws -> Int {
        try await database.scalar(PostgresQuery(unsafeSQL: sql), as: Int.self) ?? -1
    }

    /// Endpoints nothing listens on, for tests that do not use the bus.
    public static var unusedBus: BusEndpoints {
        let (publish, subscribe, replay) = FreePort.busEndpoints()
        return BusEndpoints(publish: publish, subscribe: subscribe, replay: replay)
    }
}
