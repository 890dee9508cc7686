import Foundation
import Hummingbird
import ServiceKit
import ServiceLifecycle
import Store

/// Outreach: keeps watch over the people a lockdown hurts most, so that no one falls behind
/// (不让一名特殊困难群众因疫掉队) — the registry of vulnerable residents, call campaigns,
/// needs turned into work orders, follow-ups and home visits, escalation, hotlines, notices
/// in dialect, and the daily ledger.
public enum OutreachService {
    /// The service as the kit runs it: stream `outreach`, HTTP port 8084 by default.
    public static let description = routesAndConsumers.servingOpenAPI(from: .module)

    private static let routesAndConsumers = ServiceDescription(
        name: "outreach", defaultHTTPPort: 8084, migrations: OutreachMigrations.all,
        configure: { router, dependencies in
            ResidentRoutes(dependencies: dependencies).add(to: router)
            ResidentImportRoutes(dependencies: dependencies).add(to: router)
            NeedRoutes(dependencies: dependencies).add(to: router)
            CampaignRoutes(dependencies: dependencies).add(to: router)
            FollowUpRoutes(dependencies: dependencies).add(to: router)
            EscalationRoutes(dependencies: dependencies).add(to: router)
            HotlineRoutes(dependencies: dependencies).add(to: router)
            NoticeRoutes(dependencies: dependencies).add(to: router)
            LedgerRoutes(dependencies: dependencies).add(to: router)
            return [
                NeedProgressConsumer(endpoints: dependencies.configuration.bus, client: dependencies.client, logger: dependencies.logger),
                LedgerConsumer(endpoints: dependencies.configuration.bus, client: dependencies.client, logger: dependencies.logger),
                FollowUpWatch(client: dependencies.client, logger: dependencies.logger).periodically(),
            ]
        }
    )
}
