import ArgumentParser
import Intake
import ServiceKit

@main
struct IntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shouwang-intake",
        abstract: IntakeService.description.commandAbstract,
        discussion: "Every option falls back to its SHOUWANG_* environment variable (see ARCHITECTURE.md)."
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceApplication.run(IntakeService.description, configuration: options.resolve(for: IntakeService.description))
    }
}
