import ArgumentParser
import Matching
import ServiceKit

@main
struct MatchingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shouwang-matching",
        abstract: "Runs the Shouwang matching service (HTTP on port 8082 by default, events on stream 'matching').",
        discussion: "Every option falls back to its SHOUWANG_* environment variable (see ARCHITECTURE.md)."
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceApplication.run(MatchingService.description, configuration: options.resolve(defaultHTTPPort: 8082))
    }
}
