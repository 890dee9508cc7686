import Crypto
import EventBus
import Foundation
import Hummingbird
import ServiceKit
import ServiceLifecycle

/// The console: web pages for the people on the ground — station staff, dispatchers,
/// callers, volunteers on their phones, the operations room. A client of the four services'
/// HTTP APIs (with each viewer's own scope) and of the bus (live pages); its only tables are
/// its staff accounts and their sessions.
public enum ConsoleService {
    /// The service as the kit runs it: HTTP port 8085 by default.
    public static let description = ServiceDescription(
        name: "console", defaultHTTPPort: 8085, migrations: ConsoleMigrations.all,
        configure: { router, dependencies in
            let settings = ConsoleSettings.fromEnvironment()
            let feed = LiveFeed()
            let console = Console(
                settings: settings,
                accounts: AccountStore(client: dependencies.client, logger: dependencies.logger),
                sessions: SessionStore(client: dependencies.client, logger: dependencies.logger),
                tokens: dependencies.tokens, live: feed, logger: dependencies.logger,
                volunteerFormKey: SymmetricKey(
                    data: SHA256.hash(data: Data("console-forms:\(dependencies.configuration.tokenSecret ?? UUID().uuidString)".utf8)))
            )
            ConsoleRoutes(console: console).add(to: router)
            SignInRoutes(console: console).add(to: router)
            LiveRoutes(console: console).add(to: router)
            for pages in ConsolePages.all { pages(console, router) }
            return [
                LiveFeedService(feed: feed, endpoints: dependencies.configuration.bus, logger: dependencies.logger),
                PeriodicWork("console.session-sweep", every: .seconds(600), logger: dependencies.logger) {
                    try await console.sessions.sweep()
                },
            ]
        }
    )
}

/// Every group of pages, each adding its routes. One line a group, so pages written side by
/// side do not edit the same place.
enum ConsolePages {
    static let all: [@Sendable (Console, Router<ServiceRequestContext>) -> Void] = [
        { console, router in OperationsPages(console: console).add(to: router) },
        { console, router in DispatchPages(console: console).add(to: router) },
        { console, router in RequestsNewPages(console: console).add(to: router) },
        { console, router in SetupPages(console: console).add(to: router) },
        { console, router in RoundsOutreachLedgerPages(console: console).add(to: router) },
        { console, router in StationPages(console: console).add(to: router) },
        { console, router in VolunteerPages(console: console).add(to: router) },
        { console, router in SuppliesPages(console: console).add(to: router) },
    ]
}
