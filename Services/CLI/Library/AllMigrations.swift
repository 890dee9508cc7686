import Intake
import Matching
import Outreach
import Store
import Supplies

/// Every component's migrations, core first, in the order a fresh database receives them.
enum AllMigrations {
    static var all: [Migration] {
        CoreMigrations.all + IntakeService.description.migrations + MatchingService.description.migrations
            + SuppliesService.description.migrations + OutreachService.description.migrations
    }
}
