import Hummingbird
import ServiceKit

/// The station's testing, outreach and ledger pages, added as one group: testing rounds,
/// the registry, call campaigns, follow-ups, escalations, notices and the daily ledger.
struct RoundsOutreachLedgerPages: Sendable {
    let console: Console

    func add(to router: Router<ServiceRequestContext>) {
        RoundsPages(console: console).add(to: router)
        RegistryPages(console: console).add(to: router)
        CampaignPages(console: console).add(to: router)
        FollowUpPages(console: console).add(to: router)
        EscalationPages(console: console).add(to: router)
        NoticePages(console: console).add(to: router)
        LedgerPages(console: console).add(to: router)
    }
}
