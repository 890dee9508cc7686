import Foundation
import Hummingbird
import Models
import ServiceKit

/// Supplies (物资): the depots of the viewer's area — charity supermarkets, station
/// depots — and one depot's shelf lot by lot, how many days each item lasts, its ledger,
/// and the two things a station does there (receive donations, reserve for a work order).
/// Donation drives and delivery runs are their own groups, added here so the console
/// registers supplies with one line.
struct SuppliesPages: Sendable {
    let console: Console
    /// Who reads depots and stock (`GET /v1/depots`, `/v1/stock`, `/v1/stock/cover`).
    static let roles: Set<AccessRole> = [.staff, .operator, .dispatcher]
    /// Who reads the ledger and receives deliveries (`/v1/stock/movements`, `POST /v1/receipts`).
    static let stockKeepers: Set<AccessRole> = [.staff, .operator]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/supplies") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                let depots = StationFormat.list(try await visit.calls.get(.supplies, "/v1/depots"))
                return Layout.page(visit.t("物资", "Supplies"), visit.page, DepotViews.list(depots, visit.page))
            }
        }
        router.get("/supplies/depots/:id") { request, context in
            let id = StationFormat.uuid(context.parameters.get("id"))
            return await console.staff(request, roles: Self.roles) { visit in try await depot(try Self.known(id, visit), visit) }
        }
        DepotPosts(console: console).add(to: router)
        DrivePages(console: console).add(to: router)
        RunPages(console: console).add(to: router)
    }

    /// One depot: its shelf, cover and ledger read side by side, plus what a form just did
    /// (`?received=` a receipt, `?reserved=` a reservation) read back from the service.
    private func depot(_ id: String, _ visit: StaffVisit) async throws -> Response {
        let calls = visit.calls
        let query = visit.request.uri.queryParameters
        let keeper = Self.stockKeepers.contains(visit.account.role)
        let after = query["after"].flatMap { Int64(String($0)) }
        async let depots = calls.get(.supplies, "/v1/depots")
        async let items = calls.get(.supplies, "/v1/items")
        async let stock = calls.get(.supplies, "/v1/stock?depotId=\(id)")
        async let cover = calls.get(.supplies, "/v1/stock/cover?depotId=\(id)")
        async let movements: JSONValue? =
            keeper ? calls.get(.supplies, "/v1/stock/movements?depotId=\(id)&limit=100\(after.map { "&after=\($0)" } ?? "")") : nil
        let catalogue = SupplyCatalogue(items: StationFormat.list(try await items), depots: StationFormat.list(try await depots))
        guard let depot = catalogue.depot(id) else {
            throw BackendRefusal(status: 404, detail: visit.t("您的辖区没有这个物资点。", "No such depot in your area."))
        }
        var notice: HTML = .empty
        if keeper, let receipt = StationFormat.uuid(query["received"].map(String.init)) {
            notice = DepotViews.received(try await calls.get(.supplies, "/v1/receipts/\(receipt)"), visit.page)
        } else if let reservation = StationFormat.uuid(query["reserved"].map(String.init)) {
            notice = DepotViews.reserved(try await calls.get(.supplies, "/v1/reservations/\(reservation)"), catalogue, visit.page)
        }
        let lots = StationFormat.list(try await stock)
        let ledger = try await movements
        let forms = DepotForms.reserve(
            depot: id, lots: lots, request: StationFormat.uuid(query["request"].map(String.init)), catalogue, visit.page)
        let body: HTML = """
            \(notice)
            \(DepotViews.header(depot, visit.page))
            \(DepotViews.cover(StationFormat.list(try await cover), visit.page))
            \(DepotViews.stock(lots, visit.page))
            \(forms)
            \(keeper ? DepotForms.receive(depot: id, catalogue, visit.page) : .empty)
            \(ledger.map { DepotViews.movements($0, depot: id, catalogue, visit.page) } ?? .empty)
            <p><a href="/supplies">\(visit.t("返回物资点列表", "Back to the depots"))</a></p>
            """
        return Layout.page(depot["name"]?.stringValue ?? visit.t("物资点", "Depot"), visit.page, body)
    }

    /// The depot id of the path, or a 404 page.
    static func known(_ id: String?, _ visit: StaffVisit) throws -> String {
        guard let id else { throw BackendRefusal(status: 404, detail: visit.t("没有这个物资点。", "No such depot.")) }
        return id
    }
}
