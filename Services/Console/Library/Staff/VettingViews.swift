import Foundation
import Models

/// The markup of the vetting pages: the queue, one volunteer's record and the action forms.
enum VettingViews {
    /// The queue's tabs, `all` last.
    static let statuses = ["pending", "verified", "suspended", "rejected", "withdrawn", "all"]
    /// What staff may ask intake to do (`VettingAction`'s raw values).
    static let actions: Set<String> = ["verify", "reject", "suspend", "reinstate", "withdraw", "record-training", "record-insurance"]

    static func statusName(_ status: String, _ page: PageContext) -> String {
        switch status {
        case "pending": page.t("待审核", "Pending")
        case "verified": page.t("已通过", "Verified")
        case "suspended": page.t("已暂停", "Suspended")
        case "rejected": page.t("未通过", "Rejected")
        case "withdrawn": page.t("已退出", "Withdrawn")
        case "all": page.t("全部", "All")
        default: status
        }
    }

    // MARK: The queue

    static func queue(_ volunteers: [JSONValue], records: [String: JSONValue], status: String, next: String?, _ page: PageContext) -> HTML {
        let tabs = statuses.map { tab -> HTML in
            let current: HTML = tab == status ? " aria-current=\"page\" class=\"badge sealed\"" : " class=\"badge\""
            return "<a href=\"/vetting?status=\(tab)\" id=\"tab-\(tab)\"\(current)>\(statusName(tab, page))</a> "
        }
        let showsHealth = status == "pending" || status == "suspended"
        let rows = volunteers.map { volunteer -> HTML in
            let id = StationFormat.uuid(volunteer["id"]?.stringValue) ?? ""
            let health: HTML = showsHealth ? "<td>\(declaration(records[id], page))</td>" : .empty
            return """
                <tr id="volunteer-\(id)" data-status="\(volunteer["status"]?.stringValue)">\
                <td><a href="/vetting/\(id)">\(volunteer["name"]?.stringValue)</a><div class="muted">\(volunteer["mobile"]?.stringValue) · \(volunteer["idNumber"]?.stringValue)</div></td>
                <td>\(volunteer["community"]?.stringValue)<div class="muted">\(StationFormat.time(volunteer["createdAt"]))</div></td>
                \(health)<td>\(standing(volunteer, page))</td>
                <td>\(forms(id, volunteer, back: "/vetting?status=\(status)", page))</td></tr>
                """
        }
        let healthHead: HTML = showsHealth ? "<th>\(page.t("健康申报", "Health declaration"))</th>" : .empty
        let table: HTML =
            volunteers.isEmpty
            ? "<p class=\"muted\" id=\"queue-empty\">\(page.t("没有此状态的志愿者。", "No volunteers with this status."))</p>"
            : """
            <table class="wide" id="vetting-queue"><thead><tr><th>\(page.t("志愿者", "Volunteer"))</th><th>\(page.t("社区 / 报名时间", "Community / signed up"))</th>\
            \(healthHead)<th>\(page.t("状态", "Standing"))</th><th>\(page.t("操作", "Actions"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let more: HTML = next.map { "<p><a href=\"\($0)\" id=\"next-page\">\(page.t("下一页", "Next page"))</a></p>" } ?? .empty
        return """
            <p>\(tabs)</p>
            <p class="hint">\(page.t("手机号和身份证号已隐去，点姓名查看完整记录。健康申报不合格（黄码、红码、有症状或发热）的志愿者不能通过审核。",
                "Mobile and ID numbers are masked; open a name for the full record. Nobody with a yellow or red code, symptoms or a fever can be verified."))</p>
            \(table)\(more)
            """
    }

    /// Status, training, insurance and eligibility, as badges.
    static func standing(_ volunteer: JSONValue, _ page: PageContext) -> HTML {
        let status = volunteer["status"]?.stringValue ?? ""
        let trained: HTML =
            StationFormat.isTrue(volunteer["trained"])
            ? "<span class=\"ok\">✓ \(page.t("已培训", "trained"))</span>" : "<span class=\"muted\">✗ \(page.t("未培训", "not trained"))</span>"
        let insured: HTML =
            StationFormat.isTrue(volunteer["insured"])
            ? "<span class=\"ok\">✓ \(page.t("已投保", "insured"))</span>" : "<span class=\"muted\">✗ \(page.t("未投保", "not insured"))</span>"
        let eligible: HTML =
            StationFormat.isTrue(volunteer["eligible"]) ? "<div class=\"ok\">\(page.t("可上岗", "eligible for duty"))</div>" : .empty
        return "<span class=\"badge\">\(statusName(status, page))</span><div>\(trained) · \(insured)</div>\(eligible)"
    }

    /// The latest health declaration of a volunteer's record, and whether it keeps them off duty.
    static func declaration(_ record: JSONValue?, _ page: PageContext) -> HTML {
        guard let record, let health = record["volunteer"]?["health"], health != .null else {
            return "<span class=\"muted\">\(page.t("无法读取", "not available"))</span>"
        }
        let latest = StationFormat.list(record["declarations"]).last
        let fit = latest.map { StationFormat.isTrue($0["fit"]) }
        let verdict: HTML =
            switch fit {
            case true?: "<div class=\"ok\">\(page.t("符合上岗条件", "fit for duty"))</div>"
            case false?: "<div class=\"late\">\(page.t("不符合上岗条件", "not fit for duty"))</div>"
            case nil: .empty
            }
        let declaredAt: HTML =
            latest.map { "<div class=\"muted\">\(page.t("申报于", "declared")) \(StationFormat.time($0["declaredAt"]))</div>" } ?? .empty
        return "\(healthFacts(health, page))\(verdict)\(declaredAt)"
    }

    /// The facts of one declaration: code, temperature, symptoms, vaccination, travel.
    static func healthFacts(_ health: JSONValue, _ page: PageContext) -> HTML {
        let code = health["healthCode"]?.stringValue ?? ""
        let codeBadge: HTML =
            switch code {
            case "green": "<span class=\"badge precaution\">\(page.t("绿码", "green code"))</span>"
            case "yellow": "<span class=\"badge controlled\">\(page.t("黄码", "yellow code"))</span>"
            case "red": "<span class=\"badge sealed\">\(page.t("红码", "red code"))</span>"
            default: "<span class=\"badge\">\(page.t("未申报健康码", "no code declared"))</span>"
            }
        let temperature: HTML
        if let degrees = StationFormat.number(health["temperature"]) {
            temperature = degrees >= 37.3 ? "<span class=\"late\">\(degrees) °C</span>" : "\(degrees) °C"
        } else {
            temperature = "<span class=\"late\">\(page.t("未申报体温", "no temperature"))</span>"
        }
        let symptoms: HTML =
            StationFormat.isTrue(health["symptoms"])
            ? "<span class=\"late\">\(page.t("有症状", "symptoms"))</span>" : "\(page.t("无症状", "no symptoms"))"
        let vaccinated = StationFormat.isTrue(health["vaccinated"]) ? page.t("已接种疫苗", "vaccinated") : page.t("未接种疫苗", "not vaccinated")
        let travel: HTML =
            StationFormat.isTrue(health["recentTravel"])
            ? " · <span class=\"controlled\">\(page.t("近期外出", "recent travel"))</span>" : .empty
        return "<div>\(codeBadge) \(temperature) · \(symptoms) · \(vaccinated)\(travel)</div>"
    }

    // MARK: Actions

    /// The actions a volunteer's status allows, each a small form with a stable id.
    static func forms(_ id: String, _ volunteer: JSONValue, back: String, _ page: PageContext) -> HTML {
        let status = volunteer["status"]?.stringValue ?? ""
        func plain(_ action: String, _ label: String, secondary: Bool = false) -> HTML {
            """
            <form method="post" action="/vetting/\(id)/actions" class="inline">\(page.csrfField)<input type="hidden" name="action" value="\(action)">\
            <input type="hidden" name="back" value="\(back)"><button id="\(action)-\(id)"\(secondary ? " class=\"secondary\"" : "")>\(label)</button></form>
            """
        }
        func withReason(_ action: String, _ label: String, _ placeholder: String) -> HTML {
            """
            <form method="post" action="/vetting/\(id)/actions">\(page.csrfField)<input type="hidden" name="action" value="\(action)">\
            <input type="hidden" name="back" value="\(back)"><input name="reason" id="\(action)-reason-\(id)" required maxlength="500" placeholder="\(placeholder)">\
            <button class="secondary" id="\(action)-\(id)">\(label)</button></form>
            """
        }
        var parts: [HTML] = []
        switch status {
        case "pending":
            parts.append(plain("verify", page.t("通过", "Verify")))
            parts.append(withReason("reject", page.t("不通过", "Reject"), page.t("不通过的原因（志愿者可据此改正）", "Reason the volunteer can act on")))
        case "rejected":
            parts.append(plain("verify", page.t("重新审核通过", "Verify after all")))
        case "verified":
            parts.append(withReason("suspend", page.t("暂停", "Suspend"), page.t("暂停原因", "Reason for the suspension")))
        case "suspended":
            parts.append(plain("reinstate", page.t("恢复", "Reinstate")))
        default:
            break
        }
        if status != "withdrawn" && status != "rejected" {
            if !StationFormat.isTrue(volunteer["trained"]) {
                parts.append(plain("record-training", page.t("登记已培训", "Record training"), secondary: true))
            }
            if !StationFormat.isTrue(volunteer["insured"]) {
                parts.append(plain("record-insurance", page.t("登记已投保", "Record insurance"), secondary: true))
            }
        }
        return parts.joined
    }

    // MARK: One volunteer

    /// One volunteer, unmasked, with history; `revoked` after their links were just taken back.
    static func detail(_ detail: JSONValue, revoked: Bool, _ page: PageContext) -> HTML {
        let volunteer = detail["volunteer"] ?? .null
        let id = StationFormat.uuid(volunteer["id"]?.stringValue) ?? ""
        let status = volunteer["status"]?.stringValue ?? ""
        let skills = StationFormat.list(volunteer["skills"]).compactMap(\.stringValue).joined(separator: "、")
        let notice: HTML =
            revoked
            ? "<p class=\"ok\" role=\"status\" id=\"link-revoked\">\(page.t("已撤销该志愿者的全部专属链接。", "Every personal link of this volunteer is revoked."))</p>"
            : .empty
        let history = StationFormat.list(detail["history"]).reversed().map { entry -> HTML in
            """
            <tr><td>\(StationFormat.time(entry["at"]))</td><td>\(actionName(entry["action"]?.stringValue ?? "", page))</td>\
            <td>\(statusName(entry["status"]?.stringValue ?? "", page))</td><td>\(entry["reason"]?.stringValue ?? "")</td><td class="muted">\(entry["actor"]?.stringValue)</td></tr>
            """
        }
        let declarations = StationFormat.list(detail["declarations"]).reversed().map { entry -> HTML in
            let fit: HTML =
                StationFormat.isTrue(entry["fit"])
                ? "<span class=\"ok\">\(page.t("符合", "fit"))</span>" : "<span class=\"late\">\(page.t("不符合", "not fit"))</span>"
            return """
                <tr><td>\(StationFormat.time(entry["declaredAt"]))</td><td>\(healthFacts(entry["health"] ?? .null, page))</td><td>\(fit)</td><td class="muted">\(entry["actor"]?.stringValue)</td></tr>
                """
        }
        let link: HTML =
            status == "verified"
            ? """
            <section class="card" id="personal-link-card"><h2>\(page.t("专属链接", "Personal link"))</h2>
            <p class="hint">\(page.t("志愿者用专属链接或二维码在手机上打开自己的页面：确认排班、接单、查看任务。链接只显示一次；丢失时撤销后重新生成。",
                "The volunteer opens their own page with a personal link or QR code: shifts, offers, the task they hold. The link is shown once; if it is lost, revoke it and issue another."))</p>
            <form method="post" action="/vetting/\(id)/link" class="inline">\(page.csrfField)\
            <label>\(page.t("有效天数", "Valid for (days)"))<input name="days" id="link-days" type="number" min="1" max="90" value="30"></label>\
            <button id="issue-link">\(page.t("生成专属链接", "Issue personal link"))</button></form>
            \(revokeForm(id, page))
            </section>
            """
            : .empty
        return """
            \(notice)
            <section class="card" id="volunteer-record">
            <p>\(standing(volunteer, page))</p>
            <table class="wide"><tbody>
            <tr><th>\(page.t("姓名", "Name"))</th><td id="volunteer-name">\(volunteer["name"]?.stringValue)</td></tr>
            <tr><th>\(page.t("手机号", "Mobile"))</th><td id="volunteer-mobile">\(volunteer["mobile"]?.stringValue)</td></tr>
            <tr><th>\(page.t("身份证号", "ID number"))</th><td id="volunteer-id-number">\(volunteer["idNumber"]?.stringValue)</td></tr>
            <tr><th>\(page.t("社区", "Community"))</th><td>\(volunteer["community"]?.stringValue)</td></tr>
            <tr><th>\(page.t("技能", "Skills"))</th><td>\(skills.isEmpty ? "—" : skills)</td></tr>
            <tr><th>\(page.t("报名时间", "Signed up"))</th><td>\(StationFormat.time(volunteer["createdAt"]))</td></tr>
            <tr><th>\(page.t("当前健康申报", "Current declaration"))</th><td>\(declaration(detail, page))</td></tr>
            </tbody></table>
            <div id="vetting-actions">\(forms(id, volunteer, back: "/vetting/\(id)", page))</div>
            </section>
            \(link)
            <h2>\(page.t("审核记录", "History"))</h2>
            <table class="wide" id="volunteer-history"><thead><tr><th>\(page.t("时间", "When"))</th><th>\(page.t("操作", "Action"))</th>\
            <th>\(page.t("状态", "Status"))</th><th>\(page.t("原因", "Reason"))</th><th>\(page.t("操作人", "By"))</th></tr></thead><tbody>\(history)</tbody></table>
            <h2>\(page.t("健康申报记录", "Health declarations"))</h2>
            <table class="wide" id="volunteer-declarations"><thead><tr><th>\(page.t("时间", "When"))</th><th>\(page.t("申报内容", "Declared"))</th>\
            <th>\(page.t("结论", "Verdict"))</th><th>\(page.t("申报人", "By"))</th></tr></thead><tbody>\(declarations)</tbody></table>
            <p><a href="/vetting">\(page.t("返回审核队列", "Back to the queue"))</a></p>
            """
    }

    /// The button that takes back every personal link of the volunteer.
    static func revokeForm(_ id: String, _ page: PageContext) -> HTML {
        """
        <form method="post" action="/vetting/\(id)/revoke" class="inline">\(page.csrfField)\
        <button class="secondary" id="revoke-link">\(page.t("撤销全部专属链接", "Revoke every personal link"))</button></form>
        """
    }

    static func actionName(_ action: String, _ page: PageContext) -> String {
        switch action {
        case "sign-up": page.t("报名", "signed up")
        case "verify": page.t("通过", "verified")
        case "reject": page.t("不通过", "rejected")
        case "suspend": page.t("暂停", "suspended")
        case "reinstate": page.t("恢复", "reinstated")
        case "withdraw": page.t("退出", "withdrew")
        case "record-training": page.t("登记培训", "training recorded")
        case "record-insurance": page.t("登记投保", "insurance recorded")
        default: action
        }
    }
}
