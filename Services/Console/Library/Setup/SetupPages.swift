import Foundation
import Hummingbird
import Models
import ServiceKit

/// What an operations centre sets up before anything else can happen: the city's geography
/// (district → street → community → compound) and the organizations that publish recruitment
/// calls (stations, street offices). Accounts are made with `shouwang users add`, on the
/// server, as the issue asks: this page says how.
struct SetupPages: Sendable {
    let console: Console
    static let roles: Set<AccessRole> = [.operator, .staff]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/setup") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                let parent = visit.request.uri.queryParameters["parent"].map(String.init).flatMap(AreaCode.init)
                return try await Self.page(visit, parent: parent)
            }
        }
        router.post("/setup/areas") { request, _ in
            await console.staff(request, roles: [.operator]) { visit in
                let lines: AreaLines
                do throws(AreaLines.Problems) { lines = try AreaLines.parse(visit.form["areas"] ?? "") } catch {
                    throw BackendRefusal(
                        status: 422,
                        detail: visit.t("以下行无法识别（应为：编码,名称,人口）：", "These lines are not code,name[,population]: ")
                            + error.lines.joined(separator: "; "))
                }
                guard !lines.areas.isEmpty else { throw BackendRefusal(status: 422, detail: visit.t("没有填写区域。", "No areas were given.")) }
                _ = try await visit.calls.put(.intake, "/v1/areas", .array(lines.areas))
                throw Redirect(location: "/setup?loaded=\(lines.areas.count)")
            }
        }
        router.post("/setup/organizations") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                var body: [String: JSONValue] = [:]
                for name in ["kind", "name", "area"] {
                    if let value = visit.form.text(name) { body[name] = .string(value) }
                }
                _ = try await visit.calls.post(.intake, "/v1/organizations", .object(body))
                throw Redirect(location: "/setup?organization=1")
            }
        }
    }

    static let kinds: [(String, String, String)] = [
        ("social-work-station", "社工站", "Social-work station"), ("street-office", "街道办", "Street office"),
        ("community-committee", "社区居委会", "Community committee"), ("social-organization", "社会组织", "Social organization"),
    ]

    static func page(_ visit: StaffVisit, parent: AreaCode?) async throws -> Response {
        let query = visit.request.uri.queryParameters
        async let areasAnswer = visit.calls.get(.intake, "/v1/areas" + (parent.map { "?parent=\($0.rawValue)" } ?? ""))
        async let organizationsAnswer = try? visit.calls.get(.intake, "/v1/organizations")
        let areas = StationFormat.list(try await areasAnswer["areas"])
        let organizations = StationFormat.list(await organizationsAnswer?["items"])
        let notice: HTML =
            if let loaded = query["loaded"] {
                "<p class=\"ok\" role=\"status\" id=\"areas-loaded\">\(visit.t("已载入区域：", "Areas loaded: "))\(String(loaded))</p>"
            } else if query["organization"] != nil {
                "<p class=\"ok\" role=\"status\" id=\"organization-added\">\(visit.t("已登记组织。", "The organization is registered."))</p>"
            } else { .empty }
        let areaRows = areas.map { area -> HTML in
            let code = area["code"]?.stringValue ?? ""
            return
                "<tr data-area=\"\(code)\"><td><a href=\"/setup?parent=\(code)\">\(code)</a></td><td>\(area["name"]?.stringValue)</td><td>\(area["population"]?.intValue.map(String.init) ?? "")</td></tr>"
        }
        let organizationRows = organizations.map { organization -> HTML in
            let code = organization["kind"]?.stringValue ?? ""
            let kind = kinds.first { $0.0 == code }.map { visit.t($0.1, $0.2) } ?? code
            return
                "<tr data-organization=\"\(organization["id"]?.stringValue)\"><td>\(organization["name"]?.stringValue)</td><td>\(kind)</td><td>\(organization["area"]?.stringValue)</td></tr>"
        }
        // Typed as HTML on purpose: a String literal here would be escaped, rows and all.
        let areaTable: HTML =
            areaRows.isEmpty
            ? "<p class=\"muted\" id=\"no-areas\">\(visit.t("还没有区域。", "No areas yet."))</p>"
            : """
            <table class="wide" id="areas"><thead><tr><th>\(visit.t("编码", "Code"))</th><th>\(visit.t("名称", "Name"))</th>\
            <th>\(visit.t("人口", "Population"))</th></tr></thead><tbody>\(areaRows)</tbody></table>
            """
        let organizationTable: HTML =
            organizationRows.isEmpty
            ? "<p class=\"muted\">\(visit.t("还没有组织。", "No organizations yet."))</p>"
            : "<table class=\"wide\" id=\"organizations\"><tbody>\(organizationRows)</tbody></table>"
        let kindOptions = kinds.map { value, zh, en -> HTML in "<option value=\"\(value)\">\(visit.t(zh, en))</option>" }
        let loadForm: HTML =
            visit.account.role == .operator
            ? """
            <form method="post" action="/setup/areas" class="card" id="areas-form">\(visit.page.csrfField)
            <h2>\(visit.t("载入区域", "Load areas"))</h2>
            <p class="hint">\(visit.t("每行一个：编码,名称,人口（人口可不填）。可从表格直接粘贴。已有编码会被更新。", "One a line: code,name,population (population optional); pasting from a spreadsheet works. Existing codes are updated."))</p>
            <textarea name="areas" id="areas-text" rows="8" placeholder="320505,姑苏区&#10;320505-004,平江街道&#10;320505-004-012,平江新城社区,8000"></textarea>
            <button id="areas-submit">\(visit.t("载入", "Load"))</button></form>
            """
            : .empty
        let body: HTML = """
            \(notice)
            <section class="card"><h2>\(visit.t("区域", "Areas"))\(parent.map { " · " + $0.rawValue } ?? "")</h2>
            \(parent.map { code -> HTML in "<p><a href=\"/setup\(code.parent.map { "?parent=\($0.rawValue)" } ?? "")\">\(visit.t("上一级", "Up one level"))</a></p>" } ?? .empty)
            \(areaTable)
            </section>
            \(loadForm)
            <section class="card"><h2>\(visit.t("组织（社工站、街道办等）", "Organizations (stations, street offices…)"))</h2>
            \(organizationTable)
            <form method="post" action="/setup/organizations" id="organization-form">\(visit.page.csrfField)
            <label>\(visit.t("类型", "Kind"))<select name="kind" id="organization-kind">\(kindOptions)</select></label>
            <label>\(visit.t("名称", "Name"))<input name="name" id="organization-name" required maxlength="100"></label>
            <label>\(visit.t("所在区域编码", "Area code"))<input name="area" id="organization-area" required value="\(visit.account.area?.rawValue)"></label>
            <button id="organization-submit">\(visit.t("登记组织", "Register"))</button></form></section>
            <section class="card"><h2>\(visit.t("工作人员账号", "Staff accounts"))</h2>
            <p>\(visit.t("账号由运维人员在服务器上创建（密码从标准输入读取）：", "Accounts are made on the server by an operator (the password is read from standard input):"))</p>
            <pre class="link-box">printf '%s\\n' "$PASSWORD" | shouwang users add --username staff-0042 --role staff --area 320505-004</pre></section>
            """
        return Layout.page(visit.t("基础设置", "Setup"), visit.page, body)
    }
}
