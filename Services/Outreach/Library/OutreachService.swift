import Foundation
import Hummingbird
import ServiceKit
import ServiceLifecycle
import Store

/// Outreach: keeps watch over the people a lockdown hurts most — the registry of vulnerable
/// residents and the needs found on calls and visits, which intake turns into requests.
/// Call campaigns, follow-ups, escalation, hotlines and notices come next (issue 6).
public enum OutreachService {
    /// The service as the kit runs it: stream `outreach`, HTTP port 8084 by default.
    public static let description = ServiceDescription(
        name: "outreach", defaultHTTPPort: 8084, migrations: OutreachMigrations.all,
        configure: { router, dependencies in
            ResidentRoutes(dependencies: dependencies).add(to: router)
            NeedRoutes(dependencies: dependencies).add(to: router)
            return [NeedProgressConsumer(endpoints: dependencies.configuration.bus, client: dependencies.client, logger: dependencies.logger)]
        }
    )
}
