import Foundation
import Models

/// The markup of the recruitment pages: the list of calls, the publish form and one call.
enum RecruitmentViews {
    /// The calls of the station's area, newest first, with sign-ups against headcount.
    static func list(_ calls: [JSONValue], _ page: PageContext) -> HTML {
        guard !calls.isEmpty else {
            return "<p class=\"muted\" id=\"no-calls\">\(page.t("还没有招募令。", "No recruitment calls yet."))</p>"
        }
        let rows = calls.map { call -> HTML in
            let id = StationFormat.uuid(call["id"]?.stringValue) ?? ""
            return """
                <tr id="call-\(id)"><td><a href="/calls/\(id)">\(call["title"]?.stringValue)</a>
                <div class="muted">\(call["organizationName"]?.stringValue) · \(call["area"]?.stringValue)</div></td>
                <td>\(headcount(call, page))</td>
                <td>\(StationFormat.time(call["deadline"]))</td>
                <td>\(state(call, page))</td>
                <td><a href="/join/\(id)">\(page.t("报名页", "Sign-up page"))</a></td></tr>
                """
        }
        return """
            <table class="wide" id="calls"><thead><tr><th>\(page.t("招募令", "Call"))</th><th>\(page.t("报名 / 名额", "Sign-ups / places"))</th>\
            <th>\(page.t("截止（北京时间）", "Deadline (Beijing)"))</th><th>\(page.t("状态", "State"))</th><th>\(page.t("公开链接", "Public link"))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    /// "12 / 20" with a bar: places taken against the headcount, and sign-ups when they differ.
    static func headcount(_ call: JSONValue, _ page: PageContext) -> HTML {
        let taken = call["placesTaken"]?.intValue ?? 0
        let signUps = call["signUps"]?.intValue ?? 0
        let headcount = call["headcount"]?.intValue ?? 0
        let rejected: HTML =
            signUps == taken
            ? .empty : "<div class=\"muted\">\(page.t("报名", "signed up")) \(signUps)（\(page.t("含未通过", "incl. rejected"))）</div>"
        let enforced: HTML =
            StationFormat.isTrue(call["enforceHeadcount"]) ? " <span class=\"badge\">\(page.t("满额即止", "stops when full"))</span>" : .empty
        return """
            <b>\(taken)</b> / \(headcount)\(enforced)<br><progress max="\(max(headcount, 1))" value="\(min(taken, max(headcount, 1)))">\(taken) / \(headcount)</progress>\(rejected)
            """
    }

    static func state(_ call: JSONValue, _ page: PageContext) -> HTML {
        if StationFormat.isTrue(call["open"]) { return "<span class=\"badge precaution\">\(page.t("报名中", "Open"))</span>" }
        if call["closedAt"]?.stringValue != nil { return "<span class=\"badge\">\(page.t("已关闭", "Closed"))</span>" }
        let full =
            StationFormat.isTrue(call["enforceHeadcount"]) && (call["placesTaken"]?.intValue ?? 0) >= (call["headcount"]?.intValue ?? 0)
        return "<span class=\"badge\">\(full ? page.t("已满额", "Full") : page.t("已截止", "Past deadline"))</span>"
    }

    /// The form to publish a new call. The organization is picked from those intake lists for
    /// the station's area (the only ones it may name); the one of the station's newest call is
    /// picked already, since a station mostly publishes under the same one. Only when there is
    /// none to pick does the form ask for an id, and says where organizations are registered.
    static func publishForm(organizations: [JSONValue], calls: [JSONValue], _ page: PageContext) -> HTML {
        let usual = StationFormat.uuid(calls.first?["organizationId"]?.stringValue)
        let options = organizations.compactMap { organization -> HTML? in
            guard let id = StationFormat.uuid(organization["id"]?.stringValue) else { return nil }
            let selected: HTML = id == usual ? " selected" : .empty
            return
                "<option value=\"\(id)\"\(selected)>\(organization["name"]?.stringValue)（\(organization["area"]?.stringValue)）</option>"
        }
        let picker: HTML =
            options.isEmpty
            ? """
            <p class="hint" id="no-organizations">\(page.t("你的区域还没有登记机构。请先在", "No organization is registered in your area yet. Register one on the")) \
            <a href="/setup">\(page.t("基础设置", "setup page"))</a> \(page.t("页登记（运维人员或本站工作人员均可），或在下面填写机构编号。", "(an operator or your station's staff can), or type its id below."))</p>
            <label>\(page.t("发布机构编号", "Organization id"))<input name="organizationIdTyped" id="call-organization-id" required autocomplete="off"></label>
            """
            : """
            <label>\(page.t("发布机构", "Organization"))<select name="organizationId" id="call-organization" required>\(options)</select></label>
            """
        let deadline = StationFormat.localInput(Date().addingTimeInterval(3 * 86_400))
        return """
            <section class="card" id="publish-call"><h2>\(page.t("发布新招募令", "Publish a new call"))</h2>
            <form method="post" action="/calls">\(page.csrfField)
            \(picker)
            <label>\(page.t("标题", "Title"))<input name="title" id="call-title" required maxlength="200" placeholder="\(page.t("核酸采样志愿者招募令", "Volunteers for testing"))"></label>
            <label>\(page.t("区域编码", "Area code"))<input name="area" id="call-area" required value="\(page.account?.area?.rawValue)"></label>
            <label>\(page.t("岗位（用逗号或顿号分隔）", "Roles (separated by commas)"))<input name="roles" id="call-roles" required \
            placeholder="\(page.t("扫码登记、秩序维护", "registration, queue-order"))"></label>
            <label>\(page.t("招募人数", "Headcount"))<input name="headcount" id="call-headcount" type="number" min="1" max="100000" required value="20"></label>
            <label><input type="checkbox" name="enforceHeadcount" id="call-enforce" value="1"> \(page.t("满额后停止报名", "Stop sign-ups when the places are taken"))</label>
            <label>\(page.t("截止时间（北京时间）", "Deadline (Beijing time)"))<input name="deadline" id="call-deadline" type="datetime-local" required value="\(deadline)"></label>
            <button id="publish">\(page.t("发布", "Publish"))</button>
            </form></section>
            """
    }

    /// One call: sign-ups against headcount, its public link and QR code, and closing it.
    static func call(_ call: JSONValue, link: String, _ page: PageContext) -> HTML {
        let id = StationFormat.uuid(call["id"]?.stringValue) ?? ""
        let roles = StationFormat.list(call["roles"]).compactMap(\.stringValue).joined(separator: "、")
        let taken = call["placesTaken"]?.intValue ?? 0
        let headcount = call["headcount"]?.intValue ?? 0
        let closing: HTML =
            call["closedAt"]?.stringValue == nil
            ? """
            <form method="post" action="/calls/\(id)/close" class="inline">\(page.csrfField)<button class="secondary" id="close-call">\(page.t("提前关闭报名", "Close sign-ups now"))</button></form>
            """
            : "<p class=\"muted\">\(page.t("已于", "Closed at")) \(StationFormat.time(call["closedAt"])) \(page.t("关闭", ""))</p>"
        return """
            <p>\(state(call, page)) · \(call["area"]?.stringValue) · \(page.t("岗位", "Roles")): \(roles)</p>
            <div class="numbers">
            <div class="number" id="places-taken"><b>\(taken) / \(headcount)</b>\(page.t("已占名额 / 招募人数", "Places taken / headcount"))</div>
            <div class="number" id="sign-ups"><b>\(call["signUps"]?.intValue ?? 0)</b>\(page.t("报名人数（不含退出）", "Sign-ups (not withdrawn)"))</div>
            <div class="number"><b>\(max(headcount - taken, 0))</b>\(page.t("剩余名额", "Places left"))</div>
            <div class="number"><b>\(StationFormat.time(call["deadline"]))</b>\(page.t("截止（北京时间）", "Deadline (Beijing)"))</div>
            </div>
            <p><progress max="\(max(headcount, 1))" value="\(min(taken, max(headcount, 1)))">\(taken) / \(headcount)</progress></p>
            <section class="card"><h2>\(page.t("报名链接", "Sign-up link"))</h2>
            <p class="hint">\(page.t("把链接或二维码发到微信群，志愿者用手机打开即可报名。", "Post the link or QR code in a WeChat group; volunteers sign up on their phones."))</p>
            <div class="link-box" id="join-link"><a href="\(link)">\(link)</a></div>
            <div class="qr" data-qr="\(link)"></div>
            </section>
            <p>\(closing) <a href="/vetting?status=pending">\(page.t("审核报名的志愿者", "Vet the volunteers who signed up"))</a> · <a href="/calls">\(page.t("全部招募令", "All calls"))</a></p>
            <script src="/static/qrcode.js" defer></script><script src="/static/console.js" defer></script>
            """
    }
}
