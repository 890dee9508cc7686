import Foundation
import Hummingbird
import Models
import ServiceKit

/// Delivery runs (配送批次) from the area's depots to sealed compounds: the list, and one
/// run stop by stop. Station roles read runs without addresses — the service gives the
/// addresses only to the volunteer the run is planned for, and logs each such read.
struct RunPages: Sendable {
    let console: Console

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/supplies/runs") { request, _ in
            await console.staff(request, roles: SuppliesPages.roles) { visit in
                let calls = visit.calls
                var path = "/v1/delivery-runs?limit=50"
                if let after = visit.request.uri.queryParameters["after"].flatMap({ Int64(String($0)) }) { path += "&after=\(after)" }
                async let runs = calls.get(.supplies, path)
                async let depots = calls.get(.supplies, "/v1/depots")
                let page = try await runs
                let catalogue = SupplyCatalogue(items: [], depots: StationFormat.list(try await depots))
                let next = page["next"]?.intValue.map { "/supplies/runs?after=\($0)" }
                return Layout.page(
                    visit.t("配送批次", "Delivery runs"), visit.page,
                    RunViews.list(StationFormat.list(page["items"]), next: next, catalogue, visit.page))
            }
        }
        router.get("/supplies/runs/:id") { request, context in
            let id = StationFormat.uuid(context.parameters.get("id"))
            return await console.staff(request, roles: SuppliesPages.roles) { visit in
                guard let id else { throw BackendRefusal(status: 404, detail: visit.t("没有这个配送批次。", "No such delivery run.")) }
                let calls = visit.calls
                async let run = calls.get(.supplies, "/v1/delivery-runs/\(id)")
                async let items = calls.get(.supplies, "/v1/items")
                async let depots = calls.get(.supplies, "/v1/depots")
                let shown = try await run
                let catalogue = SupplyCatalogue(items: StationFormat.list(try await items), depots: StationFormat.list(try await depots))
                return Layout.page(visit.t("配送批次", "Delivery run"), visit.page, RunViews.detail(shown, catalogue, visit.page))
            }
        }
    }
}
