import ArgumentParser
import Logging
import ServiceKit
import Store

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply every pending schema migration (safe to run from many places at once)."
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        Observability.bootstrap(logLevel: configuration.logLevel)
        let logger = Logger(label: "shouwang.migrate")
        let applied = try await Migrator(AllMigrations.all).migrate(configuration.database, logger: logger)
        if applied.isEmpty {
            print("schema is up to date (\(configuration.database))")
        } else {
            for migration in applied { print("applied \(migration.component)/\(migration.version) \(migration.name)") }
        }
    }
}
