import Foundation
import Hummingbird
import Models

/// A volunteer's own page (`/me`), on their phone: the offers waiting for their answer, the
/// tasks they hold with what to bring and where, their shifts to confirm, their hours.
///
/// Everything comes with the volunteer's own token, so matching answers only their offers and
/// shifts, and intake gives a task's details (the drug, the dose, the address) only while they
/// hold it — a task given to someone else drops its details here by itself.
struct OwnPage {
    var offers: Section
    var shifts: Section
    var hours: Section
    /// A held task's details from intake, by request id; a refusal when intake would not say.
    var tasks: [String: Result<JSONValue, BackendRefusal>]
    var places: [String: CommunityDirectory.District]
    var page: PageContext

    typealias Section = Result<JSONValue, BackendRefusal>

    func t(_ zh: String, _ en: String) -> String { page.t(zh, en) }

    /// Asks the services for the page. A refused token (401) refuses the whole page; anything
    /// else refused costs only its own section.
    static func load(_ visit: VolunteerVisit, directory: CommunityDirectory, areas: BackendCalls) async throws -> OwnPage {
        let calls = visit.calls
        async let offers = section { try await calls.get(.matching, "/v1/me/offers") }
        async let shifts = section { try await calls.get(.matching, "/v1/me/shifts") }
        async let hours = section { try await calls.get(.matching, "/v1/me/hours") }
        let (offered, rostered, worked) = await (offers, shifts, hours)
        for case .failure(let refusal) in [offered, rostered, worked] where refusal.status == 401 { throw refusal }
        let held = ((try? offered.get()) ?? .null).volunteerItems.filter { $0["status"]?.stringValue == "assigned" }
            .compactMap { $0["requestId"]?.stringValue }.filter { UUID(uuidString: $0) != nil }
        let tasks = await withTaskGroup(of: (String, Section).self) { group in
            for id in held { group.addTask { (id, await section { try await calls.get(.intake, "/v1/requests/\(id)/task") }) } }
            var found: [String: Section] = [:]
            for await (id, answer) in group { found[id] = answer }
            return found
        }
        var codes = Set<String>()
        for item in ((try? offered.get()) ?? .null).volunteerItems {
            if let code = item["compound"]?.stringValue { codes.insert(String(code.prefix(6))) }
        }
        for item in ((try? rostered.get()) ?? .null).volunteerItems {
            if let code = item["area"]?.stringValue { codes.insert(String(code.prefix(6))) }
        }
        var places: [String: CommunityDirectory.District] = [:]
        for code in codes { if let district = await directory.district(of: code, calls: areas) { places[code] = district } }
        return OwnPage(offers: offered, shifts: rostered, hours: worked, tasks: tasks, places: places, page: visit.page)
    }

    private static func section(_ work: @Sendable () async throws -> JSONValue) async -> Section {
        do {
            return .success(try await work())
        } catch let refusal as BackendRefusal {
            return .failure(refusal)
        } catch {
            return .failure(BackendRefusal(status: 500, detail: "The service's answer could not be read."))
        }
    }

    /// The name of a place, by its district's map when the console has it.
    func place(_ code: String?) -> String {
        guard let code else { return "" }
        return places[String(code.prefix(6))]?.name(of: code) ?? code
    }

    /// The whole page: its content as a part the console's script fetches again (`/me/parts`)
    /// whenever the bus says an offer, a task or a shift of this volunteer moved.
    func response() -> Response {
        let body: HTML = """
            <div id="own" data-live="me" data-refresh="/me/parts">\(content)</div>
            <script src="/static/console.js" defer></script>
            """
        return Layout.page(t("我的志愿服务", "My volunteering"), page, body)
    }

    /// What the page shows, without its frame.
    var content: HTML {
        let items = ((try? offers.get()) ?? .null).volunteerItems
        let offered = items.filter { $0["status"]?.stringValue == "offering" }
        let held = items.filter { $0["status"]?.stringValue == "assigned" }
        return """
            <p class="hint">\(t("请勿转发此页面或您的专属链接。", "Do not share this page or your personal link.")) \
            <a href="/me" id="refresh">\(t("刷新", "Refresh"))</a></p>
            <h2 id="offers-heading">\(t("待您回复的任务", "Offers waiting for your answer"))</h2>
            \(refused(offers) ?? (offered.isEmpty ? "<p class=\"muted\" id=\"no-offers\">\(t("暂无新任务。", "No offers right now."))</p>" : offered.map(offer).joined))
            <h2 id="tasks-heading">\(t("我负责的任务", "Tasks you hold"))</h2>
            \(refused(offers) == nil ? (held.isEmpty ? "<p class=\"muted\" id=\"no-tasks\">\(t("暂无进行中的任务。", "No tasks in hand."))</p>" : held.map(task).joined) : HTML.empty)
            <h2 id="shifts-heading">\(t("我的排班", "Your shifts"))</h2>
            \(refused(shifts) ?? shiftList)
            <h2 id="hours-heading">\(t("服务时长", "Your service hours"))</h2>
            \(refused(hours) ?? hoursList)
            """
    }

    /// A section the service refused, in its words.
    private func refused(_ section: Section) -> HTML? {
        guard case .failure(let refusal) = section else { return nil }
        return "<p class=\"error\" role=\"alert\">\(t("暂时无法显示：", "Not available right now: "))\(refusal.detail)</p>"
    }

    private func badges(_ item: JSONValue) -> HTML {
        let urgency = item["urgency"]?.stringValue
        let urgent: HTML = urgency == "normal" || urgency == nil ? .empty : " late"
        return "<span class=\"badge\(urgent)\">\(WorkOrderWords.urgency(urgency, page))</span>"
    }

    // MARK: Offers and tasks

    private func offer(_ item: JSONValue) -> HTML {
        let id = item["requestId"]?.stringValue ?? ""
        let medicine = item["category"]?.stringValue == "medicine"
        let hint: HTML =
            medicine
            ? "<p class=\"hint\">\(t("接受后可看到药品名称、剂量和送达地址。", "Accept to see the drug, the dose and where to deliver."))</p>"
            : "<p class=\"hint\">\(t("接受后可看到送达地址和详情。", "Accept to see the address and details."))</p>"
        return """
            <article class="card offer" id="offer-\(id)" data-request="\(id)" data-status="offering">
            <h3>\(WorkOrderWords.category(item["category"]?.stringValue, page)) \(badges(item))</h3>
            <p>\(t("地点", "Where"))：\(place(item["compound"]?.stringValue))</p>
            <p class="late">\(t("请在此时间前回复", "Answer before")) \((item["offerExpiresAt"] ?? .null).volunteerTime)</p>
            \(hint)
            <form method="post" action="/me/offers/\(id)/accept" class="inline">\(page.csrfField)\
            <button type="submit" id="accept-\(id)" name="answer" value="accept">\(t("接受", "Accept"))</button></form>
            <form method="post" action="/me/offers/\(id)/decline" class="inline">\(page.csrfField)\
            <button type="submit" class="secondary" id="decline-\(id)" name="answer" value="decline">\(t("婉拒", "Decline"))</button></form>
            </article>
            """
    }

    private func task(_ item: JSONValue) -> HTML {
        let id = item["requestId"]?.stringValue ?? ""
        let details: HTML
        switch tasks[id] {
        case .success(let task)?:
            details = taskDetails(task)
        case .failure(let refusal)? where refusal.status == 404:
            details = "<p class=\"muted\">\(t("此任务已不由您负责。", "You no longer hold this task."))</p>"
        case .failure(let refusal)?:
            details = "<p class=\"error\">\(t("详情暂时无法显示：", "The details are not available right now: "))\(refusal.detail)</p>"
        case nil:
            details = .empty
        }
        return """
            <article class="card task" id="task-\(id)" data-request="\(id)" data-status="assigned">
            <h3>\(WorkOrderWords.category(item["category"]?.stringValue, page)) \(badges(item))</h3>
            \(details)
            <p class="muted">\(t("接受于", "Accepted")) \((item["since"] ?? .null).volunteerTime)</p>
            <form method="post" action="/me/tasks/\(id)/complete" id="complete-form-\(id)">\(page.csrfField)
            <label for="hours-\(id)">\(t("完成后填写服务时长（小时）", "When done: the hours you worked"))\
            <input id="hours-\(id)" name="hours" type="number" step="0.25" min="0" max="24" inputmode="decimal" required></label>
            <button type="submit" id="complete-\(id)">\(t("已完成", "Done"))</button></form>
            </article>
            """
    }

    /// What the task needs, as intake gives it to its holder: where to deliver and, for a
    /// medicine errand, the drug and dose. No name or phone number ever comes.
    private func taskDetails(_ task: JSONValue) -> HTML {
        let zone = task["zone"]?.stringValue
        let zoneClass: HTML = ["sealed", "controlled", "precaution"].contains(zone ?? "") ? HTML(trusted: " " + (zone ?? "")) : .empty
        var rows: [HTML] = [
            row("task-address", t("送达地址", "Deliver to"), task["address"]?.stringValue),
            row("task-compound", t("小区", "Compound"), place(task["compound"]?.stringValue)),
        ]
        let details = task["details"] ?? .null
        rows.append(row("task-drug", t("药品", "Drug"), details["drugName"]?.stringValue))
        rows.append(row("task-dose", t("剂量", "Dose"), details["dose"]?.stringValue))
        rows.append(row("task-note", t("备注", "Note"), details["note"]?.stringValue))
        return """
            <p><span class="badge\(zoneClass)">\(WorkOrderWords.zone(zone, page))</span></p>
            <table class="wide details"><tbody>\(rows)</tbody></table>
            """
    }

    private func row(_ id: String, _ label: String, _ value: String?) -> HTML {
        guard let value, !value.isEmpty else { return .empty }
        return "<tr><th>\(label)</th><td class=\"\(id)\">\(value)</td></tr>"
    }

    // MARK: Shifts

    private var shiftList: HTML {
        let entries = ((try? shifts.get()) ?? .null).volunteerItems.filter { $0["status"]?.stringValue != "done" }
        guard !entries.isEmpty else { return "<p class=\"muted\" id=\"no-shifts\">\(t("暂无排班。", "No shifts."))</p>" }
        let rows = entries.map { entry -> HTML in
            let id = entry["assignmentId"]?.stringValue ?? ""
            let status = entry["status"]?.stringValue
            let action: HTML =
                status == "planned"
                ? """
                <form method="post" action="/me/shifts/\(id)/confirm" class="inline">\(page.csrfField)\
                <button type="submit" id="confirm-\(id)">\(t("确认到岗", "Confirm"))</button></form>
                """
                : .empty
            return """
                <tr id="shift-\(id)" data-assignment="\(id)" data-status="\(status ?? "")">\
                <td>\((entry["startsAt"] ?? .null).volunteerTime) – \((entry["endsAt"] ?? .null).volunteerTime)</td>\
                <td>\(entry["post"]?.stringValue) · \(VolunteerWords.role(entry["role"]?.stringValue, page))</td>\
                <td>\(place(entry["area"]?.stringValue))</td>\
                <td>\(VolunteerWords.shiftStatus(status, page))</td><td>\(action)</td></tr>
                """
        }
        return """
            <table class="wide" id="shifts"><thead><tr><th>\(t("时间", "When"))</th><th>\(t("岗位", "Post"))</th>\
            <th>\(t("地点", "Where"))</th><th>\(t("状态", "Status"))</th><th></th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    // MARK: Hours

    private var hoursList: HTML {
        let ledger = (try? hours.get()) ?? .null
        let total = ledger["total"]?.volunteerNumber ?? 0
        let entries = (ledger["entries"] ?? .null).volunteerItems
        let rows = entries.reversed().prefix(50).map { entry -> HTML in
            let correction = entry["corrects"]?.stringValue != nil
            return """
                <tr><td>\((entry["recordedAt"] ?? .null).volunteerTime)</td>\
                <td>\(VolunteerWords.hoursSource(entry["source"]?.stringValue, corrects: correction, page))\
                \(entry["reason"]?.stringValue.map { " — \($0)" as HTML } ?? .empty)</td>\
                <td>\(entry["hours"]?.volunteerNumber ?? 0, digits: 2)</td></tr>
                """
        }
        return """
            <div class="numbers"><div class="number"><b id="hours-total">\(total, digits: 2)</b>\(t("小时", "hours"))</div></div>
            \(entries.isEmpty ? HTML.empty : """
            <table class="wide" id="hours"><thead><tr><th>\(t("记录时间", "Recorded"))</th><th>\(t("来源", "For"))</th>\
            <th>\(t("小时", "Hours"))</th></tr></thead><tbody>\(Array(rows))</tbody></table>
            """)
            """
    }
}
