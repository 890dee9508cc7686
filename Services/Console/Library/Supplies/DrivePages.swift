import Foundation
import Hummingbird
import Models
import ServiceKit

/// Calls for donations (捐赠倡议): publishing one of an item with its target and deadline
/// (2,000 parcels of vegetables, 200 KN95 masks), and its progress — pledged and received
/// against the target. The service keeps no list of them, so a drive is opened by its id.
struct DrivePages: Sendable {
    let console: Console

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/supplies/drives/new") { request, _ in
            await console.staff(request, roles: SuppliesPages.stockKeepers) { visit in
                let items = StationFormat.list(try await visit.calls.get(.supplies, "/v1/items"))
                return Layout.page(
                    visit.t("发布捐赠倡议", "Publish a call for donations"), visit.page,
                    DriveViews.form(SupplyCatalogue(items: items, depots: []), area: visit.account.area?.rawValue, visit.page))
            }
        }
        router.post("/supplies/drives") { request, _ in
            await console.staff(request, roles: SuppliesPages.stockKeepers) { visit in
                let form = visit.form
                var body: [String: JSONValue] = [:]
                for field in ["title", "area"] { if let value = form.text(field) { body[field] = .string(value) } }
                if let item = StationFormat.uuid(form.text("itemId")) { body["itemId"] = .string(item) }
                if let target = form.text("target").flatMap({ Int($0) }) { body["target"] = .number(Double(target)) }
                if let deadline = SupplyWords.endOfDay(form.text("deadline")) { body["deadline"] = .string(deadline) }
                let created = try await visit.calls.post(.supplies, "/v1/donation-drives", .object(body))
                guard let id = StationFormat.uuid(created["id"]?.stringValue) else {
                    throw BackendRefusal(status: 502, detail: visit.t("服务未返回倡议编号。", "The service returned no id."))
                }
                throw Redirect(location: "/supplies/drives/\(id)")
            }
        }
        // The "open a drive by its id" box of /supplies.
        router.get("/supplies/drives/open") { request, _ in
            await console.staff(request, roles: SuppliesPages.roles) { visit in
                guard let id = StationFormat.uuid(visit.request.uri.queryParameters["id"].map(String.init)) else {
                    throw BackendRefusal(status: 404, detail: visit.t("倡议编号有误。", "That is not a call for donations' id."))
                }
                throw Redirect(location: "/supplies/drives/\(id)")
            }
        }
        router.get("/supplies/drives/:id") { request, context in
            let id = StationFormat.uuid(context.parameters.get("id"))
            return await console.staff(request, roles: SuppliesPages.roles) { visit in
                guard let id else { throw BackendRefusal(status: 404, detail: visit.t("没有这个捐赠倡议。", "No such call for donations.")) }
                let drive = try await visit.calls.get(.supplies, "/v1/donation-drives/\(id)")
                return Layout.page(
                    drive["title"]?.stringValue ?? visit.t("捐赠倡议", "Call for donations"), visit.page, DriveViews.progress(drive, visit.page)
                )
            }
        }
    }
}
