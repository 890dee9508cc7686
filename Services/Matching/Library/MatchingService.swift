import EventBus
import Foundation
import Hummingbird
import ServiceKit
import ServiceLifecycle
import Store

/// Matching: who goes where. Posts and shifts at testing sites, checkpoints and supply
/// points, and rosters planned by the solver from the eligible volunteers — with every
/// shift it cannot fill announced as a shortage — and the dispatch of residents' requests,
/// offered to the nearest suitable volunteer one at a time.
public enum MatchingService {
    /// The service as the kit runs it: stream `matching`, HTTP port 8082 by default.
    public static let description = routesAndConsumers.servingOpenAPI(from: .module)

    private static let routesAndConsumers = ServiceDescription(
        name: "matching", defaultHTTPPort: 8082, migrations: MatchingMigrations.all,
        configure: { router, dependencies in
            PostRoutes(dependencies: dependencies).add(to: router)
            RosterRoutes(dependencies: dependencies).add(to: router)
            DispatchRoutes(dependencies: dependencies).add(to: router)
            AssignmentRoutes(dependencies: dependencies).add(to: router)
            OwnViewRoutes(dependencies: dependencies).add(to: router)
            return [
                DispatchConsumer(endpoints: dependencies.configuration.bus, client: dependencies.client, logger: dependencies.logger),
                DispatchSweeper(client: dependencies.client, logger: dependencies.logger).periodically(),
                DeliveryConsumer(endpoints: dependencies.configuration.bus, client: dependencies.client, logger: dependencies.logger),
            ]
        }
    )
}
