import EventBus
import Hummingbird
import Logging
import PostgresNIO
import Prometheus
import ServiceLifecycle
import Store

/// Builds and runs a Shouwang service: migrations, the pooled database client, the
/// stream's outbox relay and the HTTP application, under one `ServiceGroup` that shuts
/// down gracefully on SIGTERM and SIGINT (in-flight requests finish, the relay flushes,
/// sockets close, the database client closes last).
public enum ServiceApplication {
    /// The HTTP router of `description` (operations routes, problem+json errors, metrics) and
    /// the background services its routes rely on.
    public static func buildRouter(
        _ description: ServiceDescription, dependencies: ServiceDependencies, registry: PrometheusCollectorRegistry,
        draining: DrainSignal = DrainSignal()
    ) -> (router: Router<ServiceRequestContext>, services: [any Service]) {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: ClientAddressMiddleware(trusted: dependencies.configuration.trustedProxies))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemDetailsMiddleware())
        router.addOperationsRoutes(
            service: description.name,
            readiness: ReadinessProbe(client: dependencies.client, bus: dependencies.configuration.bus, logger: dependencies.logger),
            registry: registry, draining: draining
        )
        if let document = description.openAPIDocument() {
            router.get("/openapi.json") { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: document)))
            }
        }
        // Every process follows token revocations, whatever its routes (TokenRevocations).
        let revocations = dependencies.tokens.revocations.refresher(client: dependencies.client, logger: dependencies.logger)
        let services = description.configure(router, dependencies) + [revocations]
        return (router, services)
    }

    /// The application with its background services (database client first, then relay).
    public static func build(
        _ description: ServiceDescription, configuration: ServiceConfiguration, logger: Logger, registry: PrometheusCollectorRegistry,
        draining: DrainSignal = DrainSignal()
    ) -> some ApplicationProtocol {
        let client = PostgresClient(configuration: configuration.database.clientConfiguration(), backgroundLogger: logger)
        let dependencies = ServiceDependencies(service: description.name, client: client, configuration: configuration, logger: logger)
        let relay = OutboxRelay(
            configuration: RelayConfiguration(stream: description.name, database: configuration.database, bus: configuration.bus),
            logger: logger
        )
        let (router, services) = buildRouter(description, dependencies: dependencies, registry: registry, draining: draining)
        return Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "shouwang-\(description.name)"),
            services: [
                client, relay, RelayLagProbe(stream: description.name, client: client, logger: logger),
                IdempotencyKeyExpiry(service: description.name, client: client, logger: logger),
                ReplicaHeartbeat(service: description.name, httpURL: configuration.replicaURL, client: client, logger: logger),
            ] + services,
            logger: logger
        )
    }

    /// Migrates, then serves until SIGTERM or SIGINT.
    public static func run(_ description: ServiceDescription, configuration: ServiceConfiguration) async throws {
        try configuration.requireBusCredentials()
        let registry = Observability.bootstrap(logLevel: configuration.logLevel)
        var logger = Logger(label: "shouwang.\(description.name)")
        logger.logLevel = configuration.logLevel
        logger.info("starting", metadata: ["database": "\(configuration.database)", "port": "\(configuration.httpPort)"])
        try await Migrator(CoreMigrations.all + description.migrations).migrate(configuration.database, logger: logger)
        let deadline = ShutdownDeadline(grace: configuration.shutdownGrace, logger: logger)
        let draining = DrainSignal()
        let application = build(description, configuration: configuration, logger: logger, registry: registry, draining: draining)
        // Shutdown runs in reverse order: the drain first, then the application.
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: application), .init(service: Drain(signal: draining, period: configuration.drainPeriod, logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            )
        )
        try await group.run()
        withExtendedLifetime(deadline) {}
    }
}
