import Foundation
import Hummingbird
import Models
import ServiceKit

/// A testing round's progress (全员核酸) for station staff and the operations room: check-ins
/// against the expected population by site and by street, as bars. Intake keeps no list of
/// rounds to browse, so `/rounds` asks for a round's id and remembers the last few opened in
/// the query string.
struct RoundsPages: Sendable {
    let console: Console
    static let roles: Set<AccessRole> = [.staff, .operator]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/rounds") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in try Self.ask(visit) }
        }
        router.get("/rounds/:id") { request, context in
            let id = context.parameters.get("id")
            return await console.staff(request, roles: Self.roles) { visit in try await Self.progress(visit, id: id) }
        }
    }

    /// The form for a round's id; given one (`?id=`), on to its page with the list updated.
    static func ask(_ visit: StaffVisit) throws -> Response {
        let recent = RoundsRecent(visit.request.uri.queryParameters["recent"])
        if let typed = visit.request.uri.queryParameters["id"].map(String.init) {
            guard let id = RegistryQuery.uuid(typed) else {
                return page(visit, recent: recent, error: visit.t("轮次编号格式不对（应为 UUID）。", "That is not a round id (a UUID)."))
            }
            throw Redirect(location: "/rounds/\(id)\(recent.adding(id).query)")
        }
        return page(visit, recent: recent, error: nil)
    }

    private static func page(_ visit: StaffVisit, recent: RoundsRecent, error: String?) -> Response {
        let problem: HTML = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? .empty
        let body: HTML = """
            <div class="card">\(problem)\(form(visit, recent: recent))</div>
            \(recentList(visit, recent))
            """
        return Layout.page(visit.t("核酸检测进度", "Testing rounds"), visit.page, body)
    }

    static func form(_ visit: StaffVisit, recent: RoundsRecent) -> HTML {
        let keep: HTML = recent.parameter.map { "<input type=\"hidden\" name=\"recent\" value=\"\($0)\">" } ?? .empty
        return """
            <form method="get" action="/rounds">\(keep)
            <label>\(visit.t("检测轮次编号", "Round id"))<input name="id" required autocomplete="off" \
            placeholder="00000000-0000-0000-0000-000000000000"></label>
            <p class="hint">\(visit.t("轮次编号在创建检测轮次时给出。", "The id is given when the round is defined."))</p>
            <button>\(visit.t("查看进度", "Show progress"))</button></form>
            """
    }

    static func recentList(_ visit: StaffVisit, _ recent: RoundsRecent) -> HTML {
        recent.ids.isEmpty ? .empty : "<h2>\(visit.t("最近查看", "Recently opened"))</h2>\(recent.links("/rounds"))"
    }

    /// `GET /v1/testing-rounds/{id}/progress`: the totals, then a chart and a table by street
    /// and by site. The service counts only the sites in the viewer's area.
    static func progress(_ visit: StaffVisit, id raw: String?) async throws -> Response {
        guard let id = RegistryQuery.uuid(raw) else {
            throw BackendRefusal(status: 404, detail: visit.t("没有这个检测轮次。", "No such testing round."))
        }
        let recent = RoundsRecent(visit.request.uri.queryParameters["recent"]).adding(id)
        let progress = try await visit.calls.get(.intake, "/v1/testing-rounds/\(id)/progress")
        let expected = progress["expected"]?.stationNumber ?? 0
        let checkedIn = progress["checkedIn"]?.stationNumber ?? 0
        let share = expected > 0 ? Int((checkedIn / expected * 100).rounded()) : 0
        let pool = progress["poolSize"]?.intValue ?? 1
        let numbers: HTML = """
            <div class="numbers">
            <div class="number"><b>\(Int(checkedIn))</b>\(visit.t("已采样", "Samples"))</div>
            <div class="number"><b>\(progress["residents"]?.intValue ?? 0)</b>\(visit.t("已检测居民", "Residents tested"))</div>
            <div class="number"><b>\(Int(expected))</b>\(visit.t("应检人数", "Expected"))</div>
            <div class="number"><b>\(share)%</b>\(visit.t("完成率", "Done"))</div>
            <div class="number"><b>\(progress["tubes"]?.intValue ?? 0)</b>\(visit.t("试管", "Tubes")) · \(pool == 1 ? visit.t("单采", "single") : visit.t("\(pool)混一", "\(pool) per tube"))</div>
            </div>
            """
        let streets = progress["streets"]?.stationItems ?? []
        let sites = progress["sites"]?.stationItems ?? []
        let body: HTML = """
            <p class="muted">\(visit.t("轮次", "Round")) \(id)</p>
            \(numbers)
            <h2>\(visit.t("按街道", "By street"))</h2>
            \(streets.isEmpty ? empty(visit) : chart(streets, label: { $0["area"]?.stringValue ?? "" }, title: visit.t("各街道采样进度", "Samples by street")))
            \(table(visit, streets, first: visit.t("街道", "Street"), name: { $0["area"]?.stationText ?? "" }))
            <h2>\(visit.t("按采样点", "By sampling site"))</h2>
            \(sites.isEmpty ? empty(visit) : chart(sites, label: { "\($0["name"]?.stationText ?? "") \($0["area"]?.stationText ?? "")" }, title: visit.t("各采样点进度", "Samples by site")))
            \(table(visit, sites, first: visit.t("采样点", "Site"), name: { "\($0["name"]?.stationText ?? "") · \($0["area"]?.stationText ?? "")" }))
            <p><a href="/rounds/\(id)\(recent.query)">\(visit.t("刷新", "Refresh"))</a></p>
            <div class="card">\(form(visit, recent: recent))</div>
            \(recentList(visit, recent))
            """
        return Layout.page(visit.t("核酸检测进度", "Testing round progress"), visit.page, body)
    }

    private static func empty(_ visit: StaffVisit) -> HTML {
        "<p class=\"muted\">\(visit.t("您的辖区内暂无采样点。", "No sampling site in your area yet."))</p>"
    }

    private static func chart(_ rows: [JSONValue], label: (JSONValue) -> String, title: String) -> HTML {
        Chart.bars(
            rows.map { Chart.Bar(label: label($0), value: $0["checkedIn"]?.stationNumber ?? 0, target: $0["expected"]?.stationNumber) },
            title: title)
    }

    private static func table(_ visit: StaffVisit, _ rows: [JSONValue], first: String, name: (JSONValue) -> String) -> HTML {
        guard !rows.isEmpty else { return .empty }
        let lines = rows.map { row -> HTML in
            """
            <tr><td>\(name(row))</td><td>\(row["checkedIn"]?.stationText ?? "") / \(row["expected"]?.stationText ?? "")</td>\
            <td>\(row["residents"]?.stationText ?? "")</td><td>\(row["tubes"]?.stationText ?? "")</td></tr>
            """
        }
        return """
            <table class="wide"><thead><tr><th>\(first)</th><th>\(visit.t("采样 / 应检", "Samples / expected"))</th>\
            <th>\(visit.t("居民", "Residents"))</th><th>\(visit.t("试管", "Tubes"))</th></tr></thead><tbody>\(lines)</tbody></table>
            """
    }
}
