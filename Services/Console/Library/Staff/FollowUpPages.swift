import Foundation
import Hummingbird
import Models
import ServiceKit

/// Follow-ups due (回访): the residents of the viewer's area whose next call is due, most
/// overdue first as outreach orders them, each with the form to record the call. The list
/// carries no name or number: the caller opens the record (a logged read) to dial.
struct FollowUpPages: Sendable {
    let console: Console
    static let roles: Set<AccessRole> = [.caller, .staff, .operator]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/followups") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in try await Self.due(visit) }
        }
        router.post("/followups/:resident") { request, context in
            let resident = context.parameters.get("resident")
            return await console.staff(request, roles: Self.roles) { visit in try await Self.record(visit, resident: resident) }
        }
    }

    /// `GET /v1/followups/due`.
    static func due(_ visit: StaffVisit) async throws -> Response {
        let due = try await visit.calls.get(.outreach, "/v1/followups/due").stationItems
        let overdue = due.filter { $0["overdue"]?.stationBool == true }.count
        let rows = due.map { row(visit, $0) }
        let query = visit.request.uri.queryParameters
        let recorded: HTML =
            query["recorded"] != nil
            ? "<p class=\"ok\" role=\"status\">\(visit.t("回访已记录，下次回访已按关怀等级排期。", "Recorded; the next follow-up is scheduled by care level."))</p>"
            : query["escalated"] != nil ? "<p class=\"ok\" role=\"status\">\(visit.t("已上报。", "Escalated."))</p>" : .empty
        let table: HTML =
            due.isEmpty
            ? "<p class=\"muted\">\(visit.t("目前没有到期的回访。", "No follow-up is due now."))</p>"
            : """
            <table class="wide"><thead><tr><th>\(visit.t("到期时间", "Due"))</th><th>\(visit.t("小区", "Compound"))</th>\
            <th>\(visit.t("关怀等级", "Care level"))</th><th>\(visit.t("档案", "Record"))</th><th>\(visit.t("记录回访", "Record the call"))</th></tr></thead>\
            <tbody>\(rows)</tbody></table>
            """
        let body: HTML = """
            \(recorded)
            <div class="numbers"><div class="number"><b>\(due.count)</b>\(visit.t("到期", "Due"))</div>\
            <div class="number"><b class="\(overdue > 0 ? "late" : "")">\(overdue)</b>\(visit.t("逾期超过6小时", "Overdue by 6 h+"))</div></div>
            \(table)
            """
        return Layout.page(visit.t("到期回访", "Follow-ups due"), visit.page, body)
    }

    private static func row(_ visit: StaffVisit, _ item: JSONValue) -> HTML {
        let resident = RegistryQuery.uuid(item["residentId"]?.stringValue) ?? ""
        let late: HTML = item["overdue"]?.stationBool == true ? " <span class=\"late\">\(visit.t("逾期", "overdue"))</span>" : .empty
        let afterNeed: HTML =
            item["afterNeedFulfilled"]?.stationBool == true
            ? " <span class=\"badge\">\(visit.t("需求已办结，电话跟进", "need fulfilled: call back"))</span>" : .empty
        let outcomes = Array(RegistryLabels.outcomes.prefix(3))
        return """
            <tr><td>\(item["dueAt"]?.stationTime ?? "")\(late)\(afterNeed)</td><td>\(item["compound"]?.stationText ?? "")</td>\
            <td>\(RegistryLabels.name(item["careLevel"]?.stringValue, in: RegistryLabels.careLevels, visit.page))</td>\
            <td><a href="/registry/\(resident)">\(visit.t("查看档案并拨打", "Open the record to call"))</a></td>\
            <td><form method="post" action="/followups/\(resident)">\(visit.page.csrfField)\
            <select name="outcome" required aria-label="\(visit.t("结果", "Outcome"))">\
            \(RegistryLabels.options(outcomes, visit.page, blank: visit.t("结果", "Outcome")))</select>\
            <input name="note" maxlength="1000" placeholder="\(visit.t("备注（可选）", "Note (optional)"))" aria-label="\(visit.t("备注", "Note"))">\
            <button class="secondary">\(visit.t("保存", "Save"))</button></form></td></tr>
            """
    }

    /// `POST /v1/residents/{id}/followups`, then back to the list.
    static func record(_ visit: StaffVisit, resident raw: String?) async throws -> Response {
        guard let resident = RegistryQuery.uuid(raw) else {
            throw BackendRefusal(status: 404, detail: visit.t("没有这位居民。", "No such resident."))
        }
        var body: [String: JSONValue] = ["outcome": .string(visit.form.text("outcome") ?? "")]
        if let note = visit.form.text("note") { body["note"] = .string(note) }
        _ = try await visit.calls.post(.outreach, "/v1/residents/\(resident)/followups", .object(body))
        throw Redirect(location: "/followups?recorded=1")
    }
}
