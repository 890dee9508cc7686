import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks, printed as Markdown for docs/BENCHMARKS.md (run a release build).",
        subcommands: [
            BenchBusCommand.self, BenchIntakeCommand.self, BenchRosterCommand.self, BenchSuppliesCommand.self, BenchCampaignCommand.self,
        ]
    )
}
