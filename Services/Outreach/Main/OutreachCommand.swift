import ArgumentParser
import Outreach
import ServiceKit

@main
struct OutreachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shouwang-outreach",
        abstract: "Runs the Shouwang outreach service (HTTP on port 8084 by default, events on stream 'outreach').",
        discussion: "Every option falls back to its SHOUWANG_* environment variable (see ARCHITECTURE.md)."
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceApplication.run(OutreachService.description, configuration: options.resolve(defaultHTTPPort: 8084))
    }
}
