import Foundation
import Hummingbird
import ServiceKit

/// The frame of every page: a phone-first document in the viewer's language, the navigation
/// their role may use, the language toggle, and the console's one stylesheet.
enum Layout {
    /// A place in the navigation, and who sees it.
    struct Place: Sendable {
        var path: String
        var zh: String
        var en: String
        var roles: Set<AccessRole>
    }

    static let places: [Place] = [
        Place(path: "/operations", zh: "指挥大屏", en: "Operations", roles: [.operator, .staff]),
        Place(path: "/dispatch", zh: "调度", en: "Dispatch", roles: [.dispatcher, .staff, .operator]),
        Place(path: "/calls", zh: "招募令", en: "Recruitment", roles: [.staff, .operator]),
        Place(path: "/vetting", zh: "志愿者审核", en: "Vetting", roles: [.staff, .operator]),
        Place(path: "/requests", zh: "群众求助", en: "Requests", roles: [.staff, .dispatcher, .operator]),
        Place(path: "/supplies", zh: "物资", en: "Supplies", roles: [.staff, .operator, .dispatcher]),
        Place(path: "/rounds", zh: "核酸检测", en: "Testing", roles: [.staff, .operator]),
        Place(path: "/registry", zh: "重点人群", en: "Registry", roles: [.staff, .caller, .operator]),
        Place(path: "/campaigns", zh: "电话关怀", en: "Calls", roles: [.caller, .staff, .operator]),
        Place(path: "/followups", zh: "回访", en: "Follow-ups", roles: [.caller, .staff, .operator]),
        Place(path: "/notices", zh: "通知", en: "Notices", roles: [.staff, .operator]),
        Place(path: "/ledger", zh: "工作台账", en: "Ledger", roles: [.staff, .operator]),
        Place(path: "/setup", zh: "基础设置", en: "Setup", roles: [.operator, .staff]),
    ]

    /// What every HTML answer carries, whole page or part: nothing inline runs, no other site
    /// frames it or receives a form of it, and no address leaks in a Referer.
    static let securityHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
        .contentSecurityPolicy:
            "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        .init("X-Content-Type-Options")!: "nosniff", .init("Referrer-Policy")!: "no-referrer",
    ]

    /// A whole page.
    static func page(_ title: String, _ context: PageContext, status: HTTPResponse.Status = .ok, _ body: HTML) -> Response {
        let nav: HTML
        if let account = context.account {
            let links = places.filter { $0.roles.contains(account.role) }.map { place -> HTML in
                let current = context.path.hasPrefix(place.path) ? " aria-current=\"page\"" : ""
                return "<a href=\"\(place.path)\"\(HTML(trusted: current))>\(context.t(place.zh, place.en))</a>"
            }
            nav = """
                <nav>\(links)<span class="who">\(account.username) · \(account.role.rawValue)\(account.area.map { " · " + $0.rawValue } ?? "")</span>\
                \(context.button("/logout", context.t("退出", "Sign out"), style: "link"))</nav>
                """
        } else {
            nav = .empty
        }
        let other: Language = context.language == .zh ? .en : .zh
        let toggle: HTML =
            "<a class=\"lang\" href=\"/lang/\(other.rawValue)?back=\(context.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")\">\(other == .en ? "English" : "中文")</a>"
        let document: HTML = """
            <!doctype html>
            <html lang="\(context.language == .zh ? "zh-CN" : "en")">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · \(context.t("守望", "Shouwang"))</title>
            <link rel="stylesheet" href="/static/console.css"></head>
            <body><header><a class="brand" href="/">\(context.t("守望", "Shouwang"))</a>\(toggle)</header>\(nav)
            <main><h1>\(title)</h1>
            \(body)
            </main></body></html>
            """
        return Response(
            status: status,
            headers: securityHeaders,
            body: .init(byteBuffer: ByteBuffer(string: document.text))
        )
    }

    /// A message on a page of its own (a refusal, an error), with a way back.
    static func message(_ title: String, _ text: String, _ context: PageContext, status: HTTPResponse.Status) -> Response {
        page(
            title, context, status: status,
            "<p class=\"error\" role=\"alert\">\(text)</p><p><a href=\"/\">\(context.t("返回", "Back"))</a></p>")
    }
}
