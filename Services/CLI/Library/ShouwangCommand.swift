import ArgumentParser

/// `shouwang`: the operator's command line.
public struct ShouwangCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "shouwang",
        abstract: "Operate a Shouwang deployment: schema, readiness, the event bus.",
        discussion: "Connection settings come from the SHOUWANG_* environment variables; flags override them.",
        subcommands: [
            MigrateCommand.self, StatusCommand.self, TailCommand.self, PublishTestCommand.self,
            RelayCommand.self, TokenCommand.self, KeysCommand.self, UsersCommand.self, BenchCommand.self,
        ]
    )

    public init() {}
}
