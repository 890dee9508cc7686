import ArgumentParser
import ServiceKit
import Supplies

@main
struct SuppliesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shouwang-supplies",
        abstract: SuppliesService.description.commandAbstract,
        discussion: "Every option falls back to its SHOUWANG_* environment variable (see ARCHITECTURE.md)."
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceApplication.run(SuppliesService.description, configuration: options.resolve(for: SuppliesService.description))
    }
}
