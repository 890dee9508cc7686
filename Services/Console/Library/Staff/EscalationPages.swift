import Foundation
import Hummingbird
import Models
import ServiceKit

/// An escalation (上报) for whoever takes the case over: the target, the reason and the case
/// history (needs, calls, visits) at the time. The history is the resident's record, so
/// outreach wants a reason for the read and logs it: the page asks for one first, as the
/// registry does. A record's page also escalates from here.
struct EscalationPages: Sendable {
    let console: Console
    /// Who may read an escalation (the service's rule).
    static let readers: Set<AccessRole> = [.staff, .operator]
    /// Who may escalate a case.
    static let escalators: Set<AccessRole> = [.staff, .caller, .operator]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/escalations") { request, _ in
            await console.staff(request, roles: Self.readers) { visit in try Self.ask(visit) }
        }
        router.get("/escalations/:id") { request, context in
            let id = context.parameters.get("id")
            return await console.staff(request, roles: Self.readers) { visit in
                guard let id = RegistryQuery.uuid(id) else {
                    throw BackendRefusal(status: 404, detail: visit.t("没有这条上报。", "No such escalation."))
                }
                return Layout.page(
                    visit.t("上报个案", "Escalation"), visit.page, RegistryPages.reasonForm(visit, action: "/escalations/\(id)", error: nil))
            }
        }
        router.post("/escalations/:id") { request, context in
            let id = context.parameters.get("id")
            return await console.staff(request, roles: Self.readers) { visit in try await Self.show(visit, id: id) }
        }
        router.post("/registry/:id/escalations") { request, context in
            let id = context.parameters.get("id")
            return await console.staff(request, roles: Self.escalators) { visit in try await Self.escalate(visit, resident: id) }
        }
    }

    /// The form for an escalation's id (`?id=` goes on to it).
    static func ask(_ visit: StaffVisit) throws -> Response {
        if let id = RegistryQuery.uuid(visit.request.uri.queryParameters["id"].map(String.init)) {
            throw Redirect(location: "/escalations/\(id)")
        }
        let body: HTML = """
            <form method="get" action="/escalations" class="card">
            <label>\(visit.t("上报编号", "Escalation id"))<input name="id" required autocomplete="off"></label>
            <button>\(visit.t("打开", "Open"))</button></form>
            """
        return Layout.page(visit.t("上报个案", "Escalations"), visit.page, body)
    }

    /// `GET /v1/escalations/{id}?reason=`, shown as the answer to the reason's POST (see
    /// `RegistryPages.record` for why not behind a redirect).
    static func show(_ visit: StaffVisit, id raw: String?) async throws -> Response {
        guard let id = RegistryQuery.uuid(raw) else { throw BackendRefusal(status: 404, detail: visit.t("没有这条上报。", "No such escalation.")) }
        guard let reason = visit.form.text("reason"), reason.count <= 200 else {
            return Layout.page(
                visit.t("上报个案", "Escalation"), visit.page, status: .unprocessableContent,
                RegistryPages.reasonForm(
                    visit, action: "/escalations/\(id)", error: visit.t("请填写查看理由（200字以内）。", "Give a reason (up to 200 characters).")))
        }
        let escalation = try await visit.calls.get(.outreach, "/v1/escalations/\(id)" + RegistryQuery.string([("reason", reason)]))
        let resident = RegistryQuery.uuid(escalation["residentId"]?.stringValue) ?? ""
        let history = escalation["caseHistory"] ?? .null
        let body: HTML = """
            <div class="card">
            <p><b>\(RegistryLabels.name(escalation["to"]?.stringValue, in: RegistryLabels.escalationTargets, visit.page))</b> · \
            \(escalation["at"]?.stationTime ?? "") · \(escalation["escalatedBy"]?.stationText ?? "")</p>
            <p>\(escalation["reason"]?.stationText ?? "")</p>
            <p><a href="/registry/\(resident)">\(visit.t("居民档案", "The resident's record"))</a></p></div>
            \(section(visit, visit.t("需求", "Needs"), history["needs"]))
            \(section(visit, visit.t("通话", "Calls"), history["calls"]))
            \(section(visit, visit.t("走访", "Visits"), history["visits"]))
            """
        return Layout.page(visit.t("上报个案", "Escalation"), visit.page, body)
    }

    /// One part of the case history, oldest first, its columns whatever the entries carry.
    private static func section(_ visit: StaffVisit, _ title: String, _ entries: JSONValue?) -> HTML {
        let items = entries?.stationItems ?? []
        guard !items.isEmpty else { return "<h2>\(title)</h2><p class=\"muted\">\(visit.t("无", "None"))</p>" }
        let keys = Array(Set(items.flatMap { $0.stationMembers.map(\.key) })).sorted { ($0 == "at" ? "" : $0) < ($1 == "at" ? "" : $1) }
        let head = keys.map { key -> HTML in "<th>\(key)</th>" }
        let rows = items.map { item -> HTML in
            let cells = keys.map { key -> HTML in "<td>\(key == "at" ? item[key]?.stationTime ?? "" : item[key]?.stationText ?? "")</td>" }
            return "<tr>\(cells)</tr>"
        }
        return "<h2>\(title)</h2><table class=\"wide\"><thead><tr>\(head)</tr></thead><tbody>\(rows)</tbody></table>"
    }

    /// The escalation form shown under a resident's record.
    static func form(_ visit: StaffVisit, resident: String) -> HTML {
        guard escalators.contains(visit.account.role) else { return .empty }
        return """
            <form method="post" action="/registry/\(resident)/escalations" class="card">\(visit.page.csrfField)
            <h2>\(visit.t("上报个案", "Escalate the case"))</h2>
            <label>\(visit.t("上报至", "To"))<select name="to" required>\(RegistryLabels.options(RegistryLabels.escalationTargets, visit.page))</select></label>
            <label>\(visit.t("理由", "Reason"))<textarea name="reason" required maxlength="2000" rows="3"></textarea></label>
            <button>\(visit.t("上报", "Escalate"))</button></form>
            """
    }

    /// `POST /v1/residents/{id}/escalations`, then to the new escalation (staff) or the
    /// follow-ups (a caller, who may not read escalations).
    static func escalate(_ visit: StaffVisit, resident raw: String?) async throws -> Response {
        guard let resident = RegistryQuery.uuid(raw) else {
            throw BackendRefusal(status: 404, detail: visit.t("没有这位居民。", "No such resident."))
        }
        let created = try await visit.calls.post(
            .outreach, "/v1/residents/\(resident)/escalations",
            .object(["to": .string(visit.form.text("to") ?? ""), "reason": .string(visit.form.text("reason") ?? "")]))
        guard readers.contains(visit.account.role), let id = RegistryQuery.uuid(created["id"]?.stringValue) else {
            throw Redirect(location: "/followups?escalated=1")
        }
        throw Redirect(location: "/escalations/\(id)")
    }
}
