import Hummingbird
import ServiceKit

/// The station's own desk — recruitment calls, vetting, residents' requests — registered as
/// one group of pages: the same people use them one after another (publish a call, vet who
/// answered it, put them to work on requests).
struct StationPages: Sendable {
    let console: Console

    func add(to router: Router<ServiceRequestContext>) {
        RecruitmentPages(console: console).add(to: router)
        VettingPages(console: console).add(to: router)
        RequestsPages(console: console).add(to: router)
    }
}
