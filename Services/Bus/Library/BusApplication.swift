import EventBus
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Store

/// Runs `shouwang-bus`: migrations, the database client, the key watch, ``BusServer``, the
/// HTTP event stream for integrators (``EventStreamRoute``) and its operations endpoints
/// (`/healthz`, `/readyz`, `/metrics`) in one `ServiceGroup` that stops gracefully on
/// SIGTERM and SIGINT.
public enum BusApplication {
    /// How often every bus process reloads the key list: the bound on revocation time.
    public static let keyRefreshInterval: Duration = .seconds(2)
    /// Event streams (`GET /v1/events`) one bus process serves at once, and for one key.
    public static let eventStreamLimit = 64
    public static let eventStreamsPerKey = 4
    /// The secret integrators' tokens are signed with (or `…_FILE`): the bus's and the
    /// operator CLI's only, never the services' `SHOUWANG_TOKEN_SECRET`.
    public static let integratorTokenSecret = "SHOUWANG_INTEGRATOR_TOKEN_SECRET"

    public static func run(configuration: ServiceConfiguration) async throws {
        let security = try configuration.requireBusServerSecurity()
        let registry = Observability.bootstrap(logLevel: configuration.logLevel)
        var logger = Logger(label: "shouwang.bus")
        logger.logLevel = configuration.logLevel
        try await Migrator(CoreMigrations.all).migrate(configuration.database, logger: logger)
        let client = PostgresClient(configuration: configuration.database.clientConfiguration(), backgroundLogger: logger)
        let access = BusAccess(security: security, logger: logger)
        let server = BusServer(endpoints: configuration.bus, client: client, access: access, logger: logger)
        var services: [any Service] = [client]
        if security != nil {
            services.append(
                BusKeyWatch(
                    store: BusKeyStore(client: client, logger: logger), access: access, interval: keyRefreshInterval, logger: logger))
        }
        services.append(server)
        let router = Router()
        router.add(middleware: MetricsMiddleware())
        EventStreamRoute(
            endpoints: configuration.bus.seenFromThisHost, access: access,
            tokens: try EnvironmentSecret.value(integratorTokenSecret, in: ProcessInfo.processInfo.environment).map(
                TokenSigner.init(secret:)),
            slots: EventStreamSlots(limit: eventStreamLimit, perKey: eventStreamsPerKey), logger: logger
        ).add(to: router)
        router.addOperationsRoutes(
            service: "bus",
            readiness: ReadinessProbe(client: client, logger: logger) {
                guard access.isLoaded else { return "the key list has not loaded from the database yet" }
                return server.isListening ? "ok" : "not listening"
            },
            registry: registry
        )
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "shouwang-bus"),
            services: services,
            logger: logger
        )
        try await application.runService()
    }
}
