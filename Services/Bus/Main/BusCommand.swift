import ArgumentParser
import Bus
import ServiceKit

@main
struct BusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shouwang-bus",
        abstract: "Runs the Shouwang event bus: the live forwarder, the replay endpoint and their key checks.",
        discussion: """
            Relays publish to --bus-publish (XSUB), subscribers connect to --bus-subscribe (XPUB), \
            and ask --bus-replay (ROUTER) for events they missed, read from the database. \
            Every socket requires CURVE: the bus's key pair comes from SHOUWANG_BUS_SERVER_SECRET_KEY_FILE \
            (shouwang keys generate), clients' public keys from the database (shouwang keys create|list|revoke), \
            reloaded every 2 s. /healthz, /readyz and /metrics are served on --port (default 8080). \
            Every option falls back to its SHOUWANG_* environment variable.
            """
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await BusApplication.run(configuration: options.resolve(defaultHTTPPort: 8080))
    }
}
