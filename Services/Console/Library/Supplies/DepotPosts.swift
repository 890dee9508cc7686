import Foundation
import Hummingbird
import Models
import ServiceKit

/// What the depot page's forms post: a delivery received (`POST /v1/receipts`) and a
/// reservation for a work order (`POST /v1/reservations`). Each goes back to the depot
/// page, which reads the new receipt or reservation back from the service; a refusal (not
/// enough stock, an expired line, a work order outside the area) is the service's own page.
struct DepotPosts: Sendable {
    let console: Console

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/supplies/depots/:id/receipts") { request, context in
            let id = StationFormat.uuid(context.parameters.get("id"))
            return await console.staff(request, roles: SuppliesPages.stockKeepers) { visit in
                let depot = try SuppliesPages.known(id, visit)
                let lines = try ReceiptLines.read(visit.form, visit.page)
                let receipt = try await visit.calls.post(
                    .supplies, "/v1/receipts", .object(["depotId": .string(depot), "lines": .array(lines)]))
                let number = StationFormat.uuid(receipt["id"]?.stringValue).map { "?received=\($0)" } ?? ""
                throw Redirect(location: "/supplies/depots/\(depot)\(number)")
            }
        }
        router.post("/supplies/depots/:id/reservations") { request, context in
            let id = StationFormat.uuid(context.parameters.get("id"))
            return await console.staff(request, roles: SuppliesPages.roles) { visit in
                let depot = try SuppliesPages.known(id, visit)
                guard let work = StationFormat.uuid(visit.form.text("requestId")) else {
                    throw BackendRefusal(
                        status: 422, detail: visit.t("请填写工单（求助）编号。", "Give the work order's (request's) id."))
                }
                guard let item = StationFormat.uuid(visit.form.text("itemId")),
                    let quantity = visit.form.text("quantity").flatMap({ Int($0) })
                else {
                    throw BackendRefusal(status: 422, detail: visit.t("请选择物资并填写数量。", "Choose the item and give the quantity."))
                }
                let reservation = try await visit.calls.post(
                    .supplies, "/v1/reservations",
                    .object([
                        "requestId": .string(work), "depotId": .string(depot), "itemId": .string(item),
                        "quantity": .number(Double(quantity)),
                    ]))
                let made = StationFormat.uuid(reservation["id"]?.stringValue).map { "?reserved=\($0)" } ?? ""
                throw Redirect(location: "/supplies/depots/\(depot)\(made)")
            }
        }
    }
}
