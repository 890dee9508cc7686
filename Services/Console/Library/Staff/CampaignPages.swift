import Foundation
import Hummingbird
import Models
import ServiceKit

/// A caller's campaign screen (电话关怀): the campaign's progress, "take my next contact",
/// the contact in hand with the number to dial, and the outcome form. Outreach has no list of
/// campaigns, so `/campaigns` asks for the id its organiser gave out and remembers the last
/// few in the query string.
struct CampaignPages: Sendable {
    let console: Console
    static let roles: Set<AccessRole> = [.caller, .staff, .operator]
    /// Who may take contacts to call (the service's rule for `…/next` and outcomes).
    static let callers: Set<AccessRole> = [.caller, .staff]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/campaigns") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in try Self.ask(visit) }
        }
        router.get("/campaigns/:id") { request, context in
            let id = context.parameters.get("id")
            return await console.staff(request, roles: Self.roles) { visit in try await Self.screen(visit, id: id) }
        }
        router.post("/campaigns/:id/next") { request, context in
            let id = context.parameters.get("id")
            return await console.staff(request, roles: Self.callers) { visit in try await Self.takeNext(visit, id: id) }
        }
        router.post("/campaigns/:id/contacts/:contact/outcome") { request, context in
            let id = context.parameters.get("id")
            let contact = context.parameters.get("contact")
            return await console.staff(request, roles: Self.callers) { visit in
                try await Self.recordOutcome(visit, id: id, contact: contact)
            }
        }
    }

    /// The form for a campaign's id; given one (`?id=`), on to its screen.
    static func ask(_ visit: StaffVisit) throws -> Response {
        let recent = RoundsRecent(visit.request.uri.queryParameters["recent"])
        if let typed = visit.request.uri.queryParameters["id"].map(String.init) {
            guard let id = RegistryQuery.uuid(typed) else {
                let problem: HTML =
                    "<p class=\"error\" role=\"alert\">\(visit.t("编号格式不对（应为 UUID）。", "That is not a campaign id (a UUID)."))</p>"
                return Layout.page(
                    visit.t("电话关怀", "Call campaigns"), visit.page, "<div class=\"card\">\(problem)\(form(visit, recent))</div>")
            }
            throw Redirect(location: "/campaigns/\(id)\(recent.adding(id).query)")
        }
        let list: HTML = recent.ids.isEmpty ? .empty : "<h2>\(visit.t("最近的任务", "Recent campaigns"))</h2>\(recent.links("/campaigns"))"
        return Layout.page(visit.t("电话关怀", "Call campaigns"), visit.page, "<div class=\"card\">\(form(visit, recent))</div>\(list)")
    }

    private static func form(_ visit: StaffVisit, _ recent: RoundsRecent) -> HTML {
        let keep: HTML = recent.parameter.map { "<input type=\"hidden\" name=\"recent\" value=\"\($0)\">" } ?? .empty
        return """
            <form method="get" action="/campaigns">\(keep)
            <label>\(visit.t("关怀任务编号", "Campaign id"))<input name="id" required autocomplete="off"></label>
            <p class="hint">\(visit.t("编号由发起任务的社工站提供。", "The station that started the campaign gives out its id."))</p>
            <button>\(visit.t("打开", "Open"))</button></form>
            """
    }

    /// `GET /v1/campaigns/{id}`, and with `?contact=` the contact in hand: `POST …/next`
    /// answers the contact the caller holds before any other, so asking again shows the same
    /// one without taking a second (the console keeps no copy of a resident's number).
    static func screen(_ visit: StaffVisit, id raw: String?) async throws -> Response {
        guard let id = RegistryQuery.uuid(raw) else { throw BackendRefusal(status: 404, detail: visit.t("没有这个任务。", "No such campaign.")) }
        let query = visit.request.uri.queryParameters
        let recent = RoundsRecent(query["recent"]).adding(id)
        let progress = try await visit.calls.get(.outreach, "/v1/campaigns/\(id)")
        var inHand: HTML?
        if let wanted = RegistryQuery.uuid(query["contact"].map(String.init)), callers.contains(visit.account.role) {
            let contact = try await visit.calls.post(.outreach, "/v1/campaigns/\(id)/next")
            if contact == .null {
                inHand =
                    "<p class=\"muted\">\(visit.t("您手上的联系人已释放，暂无待拨打的联系人。", "The contact you held was released; none is due for you now."))</p>"
            } else {
                let changed: HTML =
                    RegistryQuery.uuid(contact["contactId"]?.stringValue) == wanted
                    ? .empty : "<p class=\"late\">\(visit.t("原联系人已超时释放，这是新的联系人。", "Your hold ran out; this is a new contact."))</p>"
                inHand = "\(changed)\(CampaignContactView.html(contact, campaign: id, recent: recent, visit))"
            }
        }
        let body: HTML = """
            \(notice(visit))
            \(CampaignContactView.progress(progress, visit))
            \(inHand ?? nextButton(visit, id: id, recent: recent))
            <p><a href="/campaigns/\(id)\(recent.query)">\(visit.t("刷新", "Refresh"))</a> · <a href="/campaigns\(recent.query)">\(visit.t("其他任务", "Other campaigns"))</a></p>
            """
        return Layout.page(progress["title"]?.stringValue ?? visit.t("电话关怀", "Call campaign"), visit.page, body)
    }

    /// What the last outcome did (`?recorded=&retry=`, from the redirect after it).
    private static func notice(_ visit: StaffVisit) -> HTML {
        let query = visit.request.uri.queryParameters
        if query["none"] != nil {
            return "<p class=\"ok\" role=\"status\">\(visit.t("目前没有需要您拨打的联系人。", "No contact is due for you now."))</p>"
        }
        guard let status = query["recorded"].map(String.init) else { return .empty }
        if let escalation = RegistryQuery.uuid(query["escalation"].map(String.init)),
            EscalationPages.readers.contains(visit.account.role)
        {
            return
                "<p class=\"ok\" role=\"status\">\(visit.t("已记录并上报。", "Recorded and escalated.")) <a href=\"/escalations/\(escalation)\">\(visit.t("查看上报", "Open the escalation"))</a></p>"
        }
        if let retry = query["retry"].map(String.init), status == "pending" {
            let when = JSONValue.string(retry).stationTime
            return "<p class=\"ok\" role=\"status\">\(visit.t("已记录。将于 \(when) 重拨。", "Recorded. To be tried again at \(when)."))</p>"
        }
        return "<p class=\"ok\" role=\"status\">\(visit.t("已记录。", "Recorded."))</p>"
    }

    private static func nextButton(_ visit: StaffVisit, id: String, recent: RoundsRecent) -> HTML {
        guard callers.contains(visit.account.role) else { return .empty }
        return
            "<p>\(visit.page.button("/campaigns/\(id)/next", visit.t("领取下一个联系人", "Take my next contact"), fields: recent.parameter.map { ["recent": $0] } ?? [:]))</p>"
    }

    /// `POST /v1/campaigns/{id}/next`, then back to the screen with the contact in hand.
    static func takeNext(_ visit: StaffVisit, id raw: String?) async throws -> Response {
        guard let id = RegistryQuery.uuid(raw) else { throw BackendRefusal(status: 404, detail: visit.t("没有这个任务。", "No such campaign.")) }
        let recent = RoundsRecent(visit.form["recent"].map { Substring($0) })
        let contact = try await visit.calls.post(.outreach, "/v1/campaigns/\(id)/next")
        guard let contactID = RegistryQuery.uuid(contact["contactId"]?.stringValue) else {
            throw Redirect(location: "/campaigns/\(id)" + RegistryQuery.string([("recent", recent.parameter), ("none", "1")]))
        }
        throw Redirect(location: "/campaigns/\(id)" + RegistryQuery.string([("recent", recent.parameter), ("contact", contactID)]))
    }

    /// `POST /v1/contacts/{id}/outcome`, then back to the screen saying when a retry comes.
    static func recordOutcome(_ visit: StaffVisit, id raw: String?, contact rawContact: String?) async throws -> Response {
        guard let id = RegistryQuery.uuid(raw), let contact = RegistryQuery.uuid(rawContact) else {
            throw BackendRefusal(status: 404, detail: visit.t("没有这个联系人。", "No such contact."))
        }
        let recent = RoundsRecent(visit.form["recent"].map { Substring($0) })
        let answer = try await visit.calls.post(.outreach, "/v1/contacts/\(contact)/outcome", CampaignOutcomeForm.body(visit.form))
        throw Redirect(
            location: "/campaigns/\(id)"
                + RegistryQuery.string([
                    ("recent", recent.parameter), ("recorded", answer["status"]?.stringValue ?? "done"),
                    ("retry", answer["nextAttemptAt"]?.stringValue),
                    ("escalation", RegistryQuery.uuid(answer["escalationId"]?.stringValue)),
                ]))
    }
}
