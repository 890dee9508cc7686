import ArgumentParser
import Outreach
import ServiceKit

@main
struct OutreachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shouwang-outreach",
        abstract: OutreachService.description.commandAbstract,
        discussion: "Every option falls back to its SHOUWANG_* environment variable (see ARCHITECTURE.md)."
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceApplication.run(OutreachService.description, configuration: options.resolve(for: OutreachService.description))
    }
}
