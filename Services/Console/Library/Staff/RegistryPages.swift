import Foundation
import Hummingbird
import Models
import ServiceKit

/// The vulnerable-residents registry (重点人群): the masked list of the viewer's area, and one
/// resident's whole record — only after the viewer has stated why they read it, since
/// outreach logs every read with its reason, and the record's read log.
struct RegistryPages: Sendable {
    let console: Console
    static let roles: Set<AccessRole> = [.staff, .caller, .operator]
    /// Who may see a record's read log (the service's rule for `/reads`).
    static let auditors: Set<AccessRole> = [.staff, .operator]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/registry") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in try await Self.list(visit) }
        }
        router.get("/registry/:id") { request, context in
            let id = context.parameters.get("id")
            return await console.staff(request, roles: Self.roles) { visit in try await Self.askReason(visit, id: id) }
        }
        router.post("/registry/:id") { request, context in
            let id = context.parameters.get("id")
            return await console.staff(request, roles: Self.roles) { visit in try await Self.record(visit, id: id) }
        }
    }

    /// `GET /v1/residents?area=&status=&after=`: a page of the list, filters, and "more".
    static func list(_ visit: StaffVisit) async throws -> Response {
        let query = visit.request.uri.queryParameters
        let area = query["area"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let status = query["status"].map(String.init).flatMap { ["active", "closed"].contains($0) ? $0 : nil }
        let after = query["after"].flatMap { Int($0) }.map(String.init)
        let answer = try await visit.calls.get(
            .outreach, "/v1/residents" + RegistryQuery.string([("area", area), ("status", status), ("after", after), ("limit", "100")]))
        let rows = (answer["items"]?.stationItems ?? []).map { item -> HTML in
            let id = RegistryQuery.uuid(item["id"]?.stringValue) ?? ""
            let categories = (item["categories"]?.stationItems ?? []).map {
                RegistryLabels.name($0.stringValue, in: RegistryLabels.categories, visit.page)
            }
            return """
                <tr><td><a href="/registry/\(id)">\(item["name"]?.stationText ?? "")</a></td><td>\(item["compound"]?.stationText ?? "")</td>\
                <td>\(categories.joined(separator: "、"))</td><td>\(RegistryLabels.name(item["careLevel"]?.stringValue, in: RegistryLabels.careLevels, visit.page))</td>\
                <td>\(item["contactPhone"]?.stationText ?? "")</td>\
                <td>\(item["status"]?.stringValue == "closed" ? visit.t("已销册", "Closed") : visit.t("在册", "Active"))</td></tr>
                """
        }
        let more: HTML =
            answer["next"]?.intValue.map { next in
                "<p><a href=\"/registry\(RegistryQuery.string([("area", area), ("status", status), ("after", String(next))]))\">\(visit.t("下一页", "Next page"))</a></p>"
            } ?? .empty
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"muted\">\(visit.t("没有符合条件的居民。", "No resident matches."))</p>"
            : """
            <table class="wide"><thead><tr><th>\(visit.t("姓名", "Name"))</th><th>\(visit.t("小区", "Compound"))</th>\
            <th>\(visit.t("类别", "Categories"))</th><th>\(visit.t("关怀等级", "Care level"))</th>\
            <th>\(visit.t("联系电话", "Contact phone"))</th><th>\(visit.t("状态", "Status"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let body: HTML = """
            <form method="get" action="/registry" class="card">
            <label>\(visit.t("区域编码（可选）", "Area code (optional)"))<input name="area" value="\(area)" placeholder="320505-001" \
            pattern="[0-9]{6}(-[0-9]{3}(-[0-9]{3}(-[0-9]{2})?)?)?"></label>
            <label>\(visit.t("状态", "Status"))<select name="status"><option value="">\(visit.t("全部", "All"))</option>\
            <option value="active"\(HTML(trusted: status == "active" ? " selected" : ""))>\(visit.t("在册", "Active"))</option>\
            <option value="closed"\(HTML(trusted: status == "closed" ? " selected" : ""))>\(visit.t("已销册", "Closed"))</option></select></label>
            <button class="secondary">\(visit.t("筛选", "Filter"))</button></form>
            <p class="hint">\(visit.t("列表不显示住址和身份证号，电话已隐去中间四位；查看完整档案须说明理由，每次查看都会记录。",
                "The list shows no address or ID number and masks phones; the full record needs a reason, and every read is logged."))</p>
            \(table)\(more)
            """
        return Layout.page(visit.t("重点人群名册", "Vulnerable-residents registry"), visit.page, body)
    }

    /// The reason form: the full record is never shown before it is filled in.
    static func askReason(_ visit: StaffVisit, id raw: String?) async throws -> Response {
        guard let id = RegistryQuery.uuid(raw) else { throw BackendRefusal(status: 404, detail: visit.t("没有这位居民。", "No such resident.")) }
        return Layout.page(
            visit.t("查看居民档案", "Open a resident's record"), visit.page, reasonForm(visit, action: "/registry/\(id)", error: nil))
    }

    /// A POST form for the reason of a read, with reasons people commonly give to pick from.
    static func reasonForm(_ visit: StaffVisit, action: String, error: String?) -> HTML {
        let problem: HTML = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? .empty
        let suggestions = [
            visit.t("电话关怀", "Care call"), visit.t("回访", "Follow-up call"), visit.t("上门走访", "Home visit"),
            visit.t("核实需求", "Checking a need"), visit.t("上报个案", "Escalating the case"),
        ].map { text -> HTML in "<option value=\"\(text)\"></option>" }
        return """
            <form method="post" action="\(action)" class="card">\(visit.page.csrfField)\(problem)
            <p>\(visit.t("完整档案含住址、身份证号和电话。请说明查看理由——理由、查看人和时间都会记入查阅记录。",
                "The full record has the address, ID number and phone. State why you read it: the reason, who and when are logged."))</p>
            <label>\(visit.t("查看理由", "Reason"))<input name="reason" required maxlength="200" list="read-reasons" autocomplete="off"></label>
            <datalist id="read-reasons">\(suggestions)</datalist>
            <button>\(visit.t("查看", "Read the record"))</button></form>
            """
    }

    /// `GET /v1/residents/{id}?reason=` (the read is logged by outreach) and, for staff and
    /// operators, `GET /v1/residents/{id}/reads`. Shown as the answer to the reason's POST and
    /// not behind a redirect: a GET address with the reason would leave the record one click
    /// away in the browser's history, and could be opened by a link from elsewhere, logging a
    /// read in the viewer's name that they never meant.
    static func record(_ visit: StaffVisit, id raw: String?) async throws -> Response {
        guard let id = RegistryQuery.uuid(raw) else { throw BackendRefusal(status: 404, detail: visit.t("没有这位居民。", "No such resident.")) }
        guard let reason = visit.form.text("reason"), reason.count <= 200 else {
            return Layout.page(
                visit.t("查看居民档案", "Open a resident's record"), visit.page, status: .unprocessableContent,
                reasonForm(visit, action: "/registry/\(id)", error: visit.t("请填写查看理由（200字以内）。", "Give a reason (up to 200 characters).")))
        }
        let resident = try await visit.calls.get(.outreach, "/v1/residents/\(id)" + RegistryQuery.string([("reason", reason)]))
        let reads = Self.auditors.contains(visit.account.role) ? try await visit.calls.get(.outreach, "/v1/residents/\(id)/reads") : nil
        let body: HTML = """
            \(RegistryRecordView.record(resident, visit))
            \(reads.map { RegistryRecordView.reads($0, visit) } ?? .empty)
            \(EscalationPages.form(visit, resident: id))
            <p><a href="/followups">\(visit.t("回访", "Follow-ups"))</a> · <a href="/registry">\(visit.t("返回名册", "Back to the registry"))</a></p>
            """
        return Layout.page(resident["name"]?.stringValue ?? visit.t("居民档案", "Resident's record"), visit.page, body)
    }
}
