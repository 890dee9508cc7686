import EventBus
import Logging
import ServiceLifecycle

/// Feeds ``LiveFeed`` from the bus: one subscriber per service's stream, from now on (a
/// dashboard shows what happens while it is open; what happened before comes from the
/// services' APIs), and one for the shift topics from the beginning, since no API lists the
/// shortages of earlier roster plans. The console's bus key reads these four prefixes and
/// nothing else.
struct LiveFeedService: Service {
    let feed: LiveFeed
    let endpoints: BusEndpoints
    let logger: Logger

    static let prefixes = ["intake.", "matching.", "supplies.", "outreach."]

    func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for prefix in Self.prefixes {
                group.addTask {
                    let subscriber = BusSubscriber(
                        configuration: SubscriberConfiguration(endpoints: endpoints, prefix: prefix, start: .now), logger: logger)
                    try await subscriber.run { batch in feed.apply(batch) }
                }
            }
            group.addTask {
                let subscriber = BusSubscriber(
                    configuration: SubscriberConfiguration(endpoints: endpoints, prefix: "matching.shift.", start: .beginning),
                    logger: logger)
                try await subscriber.run { batch in feed.apply(batch, shifts: true) }
            }
            try await group.waitForAll()
        }
    }
}
