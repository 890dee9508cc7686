import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Store

/// Runs `shouwang-bus`: migrations, the database client and ``BusServer`` in one
/// `ServiceGroup` that stops gracefully on SIGTERM and SIGINT.
public enum BusApplication {
    public static func run(configuration: ServiceConfiguration) async throws {
        Observability.bootstrap(logLevel: configuration.logLevel)
        var logger = Logger(label: "shouwang.bus")
        logger.logLevel = configuration.logLevel
        try await Migrator(CoreMigrations.all).migrate(configuration.database, logger: logger)
        let client = PostgresClient(configuration: configuration.database.clientConfiguration(), backgroundLogger: logger)
        let server = BusServer(endpoints: configuration.bus, client: client, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [client, server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }
}
