import ArgumentParser
import ServiceKit
import Supplies

@main
struct SuppliesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shouwang-supplies",
        abstract: "Runs the Shouwang supplies service (HTTP on port 8083 by default, events on stream 'supplies').",
        discussion: "Every option falls back to its SHOUWANG_* environment variable (see ARCHITECTURE.md)."
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceApplication.run(SuppliesService.description, configuration: options.resolve(defaultHTTPPort: 8083))
    }
}
