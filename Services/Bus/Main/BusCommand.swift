import ArgumentParser
import Bus
import ServiceKit

@main
struct BusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shouwang-bus",
        abstract: "Runs the Shouwang event bus: the XSUB/XPUB proxy and the replay endpoint.",
        discussion: """
            Relays publish to --bus-publish (XSUB), subscribers connect to --bus-subscribe (XPUB), \
            and ask --bus-replay (ROUTER) for events they missed, read from the database. \
            Every option falls back to its SHOUWANG_* environment variable.
            """
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await BusApplication.run(configuration: options.resolve(defaultHTTPPort: 8080))
    }
}
