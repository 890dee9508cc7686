import Foundation
import Hummingbird
import Models

/// A recruitment call's public page (`/join/{callId}`), the link a station posts in a WeChat
/// group: what the call is, how many have signed up against the headcount, the sign-up form
/// while the call takes sign-ups, and a QR code of the page itself for the station to print.
///
/// After a refused sign-up the form comes back with what was typed and intake's message beside
/// each field, so a resident on a phone never types it all again.
struct SignUpPage {
    var call: JSONValue
    var fields: SignUpFields
    /// Intake's 422 messages (and the console's own), by field path.
    var errors: [String: String] = [:]
    /// A refusal that is about no one field (too many sign-ups from here, the call closed).
    var problem: String?
    var district: CommunityDirectory.District?
    var publicURL: String
    var page: PageContext

    /// The fields that have a place on the form; a message about anything else goes on top.
    static let places = [
        "name", "mobile", "idNumber", "birthYear", "homeCommunity", "skills", "availability",
        "health/symptoms", "health/healthCode", "health/temperature", "health/vaccinated", "health/recentTravel",
    ]

    var id: String { call["id"]?.stringValue ?? "" }
    func t(_ zh: String, _ en: String) -> String { page.t(zh, en) }

    func response(status: HTTPResponse.Status = .ok) -> Response {
        let title = call["title"]?.stringValue ?? t("志愿者招募", "Volunteer call")
        let open = call["open"]?.volunteerBool ?? false
        let closed: HTML = """
            <p class="error" id="call-closed" role="status">\(t("本次招募已结束，不再接受报名。感谢您的关注！", "This call takes no more sign-ups. Thank you for your interest!"))</p>
            """
        let body: HTML = """
            \(summary)
            \(open ? form : closed)
            \(share)
            <script src="/static/qrcode.js" defer></script><script src="/static/console.js" defer></script>
            """
        return Layout.page(title, page, status: status, body)
    }

    // MARK: The call

    private var summary: HTML {
        let roles = (call["roles"] ?? .null).volunteerItems.compactMap(\.stringValue).map { VolunteerWords.role($0, page) }
        let area = call["area"]?.stringValue ?? ""
        let taken = call["placesTaken"]?.intValue ?? 0
        let headcount = call["headcount"]?.intValue ?? 0
        let signUps = call["signUps"]?.intValue ?? 0
        let state: HTML =
            (call["open"]?.volunteerBool ?? false)
            ? "<span class=\"badge precaution\">\(t("报名中", "Open"))</span>" : "<span class=\"badge sealed\">\(t("已截止", "Closed"))</span>"
        return """
            <section class="card" id="call" data-call="\(id)">
            <p>\(state)</p>
            <p><b>\(t("招募岗位", "What"))：</b>\(roles.joined(separator: "、"))</p>
            <p><b>\(t("服务地点", "Where"))：</b>\(district?.name(of: area) ?? area)</p>
            <p><b>\(t("已报名", "Signed up"))：</b><span id="places-taken">\(taken)</span> / <span id="headcount">\(headcount)</span> \
            <span class="muted">(\(t("报名总数", "sign-ups")) \(signUps))</span></p>
            <p><b>\(t("报名截止", "Deadline"))：</b>\((call["deadline"] ?? .null).volunteerTime)</p>
            </section>
            """
    }

    private var share: HTML {
        let url = publicURL + "/join/" + id
        return """
            <section class="card" id="share">
            <h2>\(t("扫码报名", "Scan to sign up"))</h2>
            <div class="qr" id="qr" data-qr="\(url)"></div>
            <p class="link-box" id="share-link">\(url)</p>
            <p class="hint">\(t("社工站可打印此二维码张贴，或将链接转发到微信群。", "Stations may print this QR code or post the link in a WeChat group."))</p>
            </section>
            """
    }

    // MARK: The form

    private var form: HTML {
        let unplaced = errors.filter { key, _ in !Self.places.contains { key == $0 || key.hasPrefix($0 + "/") } }
            .sorted { $0.key < $1.key }.map { key, message -> HTML in "<li>\(key): \(message)</li>" }
        let top: HTML =
            problem == nil && unplaced.isEmpty
            ? .empty
            : """
            <div class="error" role="alert" id="sign-up-problem"><p>\(problem ?? t("请检查以下内容。", "Please check the following."))</p>\
            \(unplaced.isEmpty ? HTML.empty : "<ul>\(unplaced)</ul>")</div>
            """
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        return """
            <form method="post" action="/join/\(id)" id="sign-up" class="card">
            <h2>\(t("报名", "Sign up"))</h2>
            \(errors.isEmpty && problem == nil ? HTML.empty : top)
            \(input("name", t("姓名", "Name"), attributes: "autocomplete=\"name\" maxlength=\"50\" required"))
            \(input("mobile", t("手机号码", "Mobile number"), type: "tel", attributes: "autocomplete=\"tel\" inputmode=\"tel\" required"))
            \(input("idNumber", t("身份证号码", "Resident ID number"), attributes: "autocomplete=\"off\" maxlength=\"18\" required"))
            \(input("birthYear", t("出生年份", "Year of birth"), type: "number", attributes: HTML(trusted: "inputmode=\"numeric\" min=\"1920\" max=\"\(year - 16)\" required")))
            \(community)
            \(skills)
            \(availability)
            <fieldset id="health"><legend>\(t("健康申报", "Health declaration"))</legend>
            \(choice("health/healthCode", t("健康码", "Health code"), [("green", t("绿码", "Green")), ("yellow", t("黄码", "Yellow")), ("red", t("红码", "Red"))]))
            \(input("health/temperature", t("今日体温（°C）", "Today's temperature (°C)"), type: "number", attributes: "step=\"0.1\" min=\"34\" max=\"43\" inputmode=\"decimal\" required"))
            \(choice("health/symptoms", t("是否有发热、咳嗽等症状", "Fever, cough or other symptoms?"), yesNo))
            \(choice("health/vaccinated", t("是否已接种新冠疫苗", "Vaccinated against COVID-19?"), yesNo))
            \(choice("health/recentTravel", t("14天内是否有中高风险地区旅居史", "Travel to a medium- or high-risk area in the last 14 days?"), yesNo, required: false))
            </fieldset>
            <p class="hint">\(t("您的身份证号和手机号仅社工站工作人员可见，用于核实身份和联系您。", "Only your station's staff see your ID number and phone, to verify you and contact you."))</p>
            <button type="submit" id="sign-up-submit">\(t("提交报名", "Sign up"))</button>
            </form>
            """
    }

    private var yesNo: [(String, String)] { [("no", t("否", "No")), ("yes", t("是", "Yes"))] }

    /// The form's id of a field (`health/temperature` → `f-health-temperature`).
    private func domID(_ name: String) -> String { "f-" + name.replacingOccurrences(of: "/", with: "-") }

    /// The messages about `name` (or anything under it), beside the field.
    private func messages(_ name: String) -> HTML {
        let lines = errors.filter { $0.key == name || $0.key.hasPrefix(name + "/") }.sorted { $0.key < $1.key }.map(\.value)
        guard !lines.isEmpty else { return .empty }
        return "<span class=\"error\" id=\"error-\(domID(name))\" role=\"alert\">\(lines.joined(separator: "; "))</span>"
    }

    private func invalid(_ name: String) -> HTML {
        errors.contains { $0.key == name || $0.key.hasPrefix(name + "/") } ? " aria-invalid=\"true\"" : .empty
    }

    private func input(_ name: String, _ label: String, type: String = "text", attributes: HTML) -> HTML {
        """
        <label for="\(domID(name))">\(label)<input id="\(domID(name))" name="\(name)" type="\(type)" value="\(fields.value(name))" \
        \(attributes)\(invalid(name))>\(messages(name))</label>
        """
    }

    private func choice(_ name: String, _ label: String, _ options: [(String, String)], required: Bool = true) -> HTML {
        let chosen = fields.value(name)
        let items = options.map { value, text -> HTML in
            "<option value=\"\(value)\"\(value == chosen ? HTML(" selected") : .empty)>\(text)</option>"
        }
        return """
            <label for="\(domID(name))">\(label)<select id="\(domID(name))" name="\(name)"\(required ? HTML(" required") : .empty)\(invalid(name))>\
            <option value="">\(t("请选择", "Choose"))</option>\(items)</select>\(messages(name))</label>
            """
    }

    /// The home community: chosen by name, grouped by street, when intake's map of the
    /// district is at hand; else typed as a code.
    private var community: HTML {
        let name = "homeCommunity"
        let label = t("居住社区", "Home community")
        guard let district, district.streets.contains(where: { !$0.communities.isEmpty }) else {
            return input(
                name, label,
                attributes: "pattern=\"[0-9]{6}-[0-9]{3}-[0-9]{3}\" placeholder=\"320505-001-001\" required")
        }
        let chosen = fields.value(name)
        let groups = district.streets.filter { !$0.communities.isEmpty }.map { street -> HTML in
            let options = street.communities.map { place -> HTML in
                "<option value=\"\(place.code)\"\(place.code == chosen ? HTML(" selected") : .empty)>\(place.name)</option>"
            }
            return "<optgroup label=\"\(street.name)\">\(options)</optgroup>"
        }
        return """
            <label for="\(domID(name))">\(label)<select id="\(domID(name))" name="\(name)" required\(invalid(name))>\
            <option value="">\(t("请选择", "Choose"))</option>\(groups)</select>\(messages(name))</label>
            """
    }

    private var skills: HTML {
        let boxes = SignUpFields.skills.map { skill -> HTML in
            let checked: HTML = fields.checked("skill-" + skill) ? " checked" : .empty
            return """
                <label for="f-skill-\(skill)"><input type="checkbox" id="f-skill-\(skill)" name="skill-\(skill)" value="on"\(checked)> \
                \(VolunteerWords.skill(skill, page))</label>
                """
        }
        return """
            <fieldset id="skills"><legend>\(t("特长（可多选，选填）", "Skills (any, optional)"))</legend>\(boxes)\(messages("skills"))</fieldset>
            """
    }

    private var availability: HTML {
        """
        <fieldset id="availability"><legend>\(t("可服务时间（选填）", "When you can serve (optional)"))</legend>
        \(input("availability/0/from", t("从", "From"), type: "datetime-local", attributes: .empty))
        \(input("availability/0/to", t("到", "To"), type: "datetime-local", attributes: .empty))
        \(messages("availability"))</fieldset>
        """
    }

    // MARK: After

    /// The page after a sign-up intake received: what happens next.
    static func thanks(call: JSONValue?, page: PageContext) -> Response {
        let title = call?["title"]?.stringValue
        let body: HTML = """
            <section class="card" id="thanks">
            <p class="ok" role="status">\(page.t("感谢您报名参加志愿服务！", "Thank you for signing up as a volunteer!"))</p>
            \(title.map { "<p>\($0)</p>" as HTML } ?? .empty)
            <p>\(page.t("社工站工作人员将核实您的健康申报和身份信息，审核通过后会与您联系，并发给您一个专属链接，用来查看排班和任务。",
                "The station's staff will verify your health declaration and identity; once you are verified they contact you and send you a personal link for your shifts and tasks."))</p>
            <p class="hint">\(page.t("请保持手机畅通。健康状况有变化时请告知社工站。", "Keep your phone on. Tell your station if your health changes."))</p>
            </section>
            """
        return Layout.page(page.t("报名成功", "Signed up"), page, body)
    }
}
