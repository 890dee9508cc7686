import Console
import Store

/// Every component's migrations (the console's last), core first, in the order a fresh database receives them.
enum AllMigrations {
    static var all: [Migration] {
        CoreMigrations.all + AllServices.descriptions.flatMap(\.migrations) + ConsoleService.description.migrations
    }
}
