import ArgumentParser
import EventBus
import Logging
import ServiceKit
import ServiceLifecycle

struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Run an outbox relay for one stream until stopped (SIGTERM/SIGINT).",
        discussion: """
            Services run their own relay; this is for streams written by tools (publish-test) \
            and for watching leadership move: start two, stop the leader, the other takes over.
            """
    )

    @OptionGroup var options: ServiceOptions

    @Option(help: "The stream whose outbox rows to publish.")
    var stream: String = "test"

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        try configuration.requireBusCredentials()
        Observability.bootstrap(logLevel: configuration.logLevel)
        let logger = Logger(label: "shouwang.relay")
        let relay = OutboxRelay(
            configuration: RelayConfiguration(stream: stream, database: configuration.database, bus: configuration.bus),
            logger: logger
        )
        try await ServiceGroup(
            configuration: .init(services: [relay], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        ).run()
    }
}
