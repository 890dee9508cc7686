import ArgumentParser
import Console
import ServiceKit

@main
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shouwang-console",
        abstract:
            "Runs the Shouwang console: web pages for station staff, dispatchers, callers, volunteers and the operations room (HTTP on port 8085 by default).",
        discussion: """
            Every option falls back to its SHOUWANG_* environment variable (see ARCHITECTURE.md). The console \
            also reads SHOUWANG_INTAKE_URL, SHOUWANG_MATCHING_URL, SHOUWANG_SUPPLIES_URL and SHOUWANG_OUTREACH_URL \
            (the services' HTTP APIs, default 127.0.0.1:8081–8084) and SHOUWANG_CONSOLE_PUBLIC_URL (its address as \
            people reach it, for personal links and QR codes). Staff accounts: shouwang users add.
            """
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceApplication.run(ConsoleService.description, configuration: options.resolve(for: ConsoleService.description))
    }
}
