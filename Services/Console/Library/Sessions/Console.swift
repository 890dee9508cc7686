import Crypto
import Foundation
import Hummingbird
import Logging
import Models
import NIOCore
import ServiceKit

/// What every console route is given, and the one place that turns a request into a visit:
/// who is asking (a staff session, a volunteer's link, nobody), whether they may, and how a
/// refusal, a redirect or a failure becomes a page. Handlers only render.
struct Console: Sendable {
    let settings: ConsoleSettings
    let accounts: AccountStore
    let sessions: SessionStore
    let tokens: TokenSigner
    let live: LiveFeed
    let logger: Logger
    /// Keys the CSRF token of a volunteer's forms to their own link token (they have no session row).
    let volunteerFormKey: SymmetricKey

    static let sessionCookie = "sw_session"
    static let volunteerCookie = "sw_volunteer"

    // MARK: Staff

    /// Serves a staff page. A visitor without a live session goes to sign in; one whose role is
    /// not in `roles` is told so; a POST without the session's CSRF token is refused.
    func staff(
        _ request: Request, roles: Set<AccessRole>, _ body: @Sendable (StaffVisit) async throws -> Response
    ) async -> Response {
        var page = PageContext(language: Language.of(request), account: nil, csrf: "", path: request.uri.path)
        do {
            guard let token = request.cookies[Self.sessionCookie]?.value, let session = try await sessions.session(token: token) else {
                let next = request.method == .get ? request.uri.description : "/"
                throw Redirect(location: "/login?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")")
            }
            page.account = session.account
            page.csrf = session.csrf
            guard roles.contains(session.account.role) else {
                return Layout.message(
                    page.t("无权访问", "Not for your role"), page.t("您的角色不能使用此页面。", "Your role may not use this page."), page,
                    status: .forbidden)
            }
            let form = try await checkedForm(request, csrf: session.csrf)
            let bearer = try tokens.issue(session.account.access())
            let calls = BackendCalls(urls: settings.backends, bearer: bearer, logger: logger)
            return try await body(StaffVisit(session: session, page: page, calls: calls, form: form, request: request))
        } catch {
            return failure(error, page)
        }
    }

    // MARK: Volunteers

    /// Serves a volunteer's own page, from the token their personal link left in a cookie.
    func volunteer(_ request: Request, _ body: @Sendable (VolunteerVisit) async throws -> Response) async -> Response {
        let page = PageContext(language: Language.of(request), account: nil, csrf: "", path: request.uri.path)
        do {
            guard let token = request.cookies[Self.volunteerCookie]?.value, let access = try? tokens.verify(token),
                access.role == .volunteer
            else {
                return Layout.message(
                    page.t("请用您的专属链接打开", "Open your personal link"),
                    page.t(
                        "请用社工站发给您的专属链接或二维码打开此页；链接失效时请联系社工站。",
                        "Open this page from the personal link or QR code your station gave you; if it stopped working, ask your station."),
                    page, status: .unauthorized)
            }
            var withCSRF = page
            withCSRF.csrf = volunteerCSRF(token)
            let form = try await checkedForm(request, csrf: withCSRF.csrf)
            let calls = BackendCalls(urls: settings.backends, bearer: token, logger: logger)
            return try await body(VolunteerVisit(volunteerID: access.subject, page: withCSRF, calls: calls, form: form, request: request))
        } catch {
            return failure(error, page)
        }
    }

    func volunteerCSRF(_ token: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(token.utf8), using: volunteerFormKey)).base64URLEncoded
    }

    // MARK: Public

    /// Serves a page that needs no session.
    func visitor(
        _ request: Request, _ context: ServiceRequestContext, _ body: @Sendable (PublicVisit) async throws -> Response
    ) async -> Response {
        let page = PageContext(language: Language.of(request), account: nil, csrf: "", path: request.uri.path)
        do {
            let form = request.method == .post ? try await FormBody.read(request) : FormBody(fields: [:])
            return try await body(PublicVisit(page: page, form: form, request: request, context: context))
        } catch {
            return failure(error, page)
        }
    }

    // MARK: Shared

    /// The form of a POST, refused unless it carries `csrf`; an empty form for other methods.
    private func checkedForm(_ request: Request, csrf: String) async throws -> FormBody {
        guard request.method == .post else { return FormBody(fields: [:]) }
        let form = try await FormBody.read(request)
        guard let sent = form["csrf"], sent.utf8.count == csrf.utf8.count,
            zip(sent.utf8, csrf.utf8).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0
        else {
            throw BackendRefusal(
                status: 403, detail: "This form has expired or did not come from the console; reload the page and try again.")
        }
        return form
    }

    /// How a failure is shown: a redirect followed, a service's refusal in its own words, anything
    /// else as a short apology (its details go to the log, never personal data).
    private func failure(_ error: any Error, _ page: PageContext) -> Response {
        switch error {
        case let redirect as Redirect:
            return redirect.response
        case is NIOTooManyBytesError:
            // No form of the console is this large: someone is testing the door, not an error of ours.
            return Layout.message(
                page.t("内容过长", "Too long"), page.t("提交的内容过长。", "What was sent is too long for any form here."), page,
                status: .contentTooLarge)
        case let refusal as BackendRefusal:
            let status = HTTPResponse.Status(code: refusal.status)
            let title =
                switch refusal.status {
                case 401: page.t("需要重新登录", "Sign in again")
                case 403: page.t("无权操作", "Not allowed")
                case 404: page.t("未找到", "Not found")
                case 409: page.t("无法完成", "Could not be done")
                case 422: page.t("请检查填写内容", "Please check the form")
                default: page.t("暂时无法完成", "Not available right now")
                }
            let fields = refusal.fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            return Layout.message(title, refusal.detail + (fields.isEmpty ? "" : " — " + fields), page, status: status)
        default:
            logger.error("a console page failed", metadata: ["path": "\(page.path)", "error": "\(String(describing: type(of: error)))"])
            return Layout.message(
                page.t("出错了", "Something went wrong"), page.t("请稍后再试。", "Please try again in a moment."), page, status: .internalServerError
            )
        }
    }

    /// A session or link cookie: HttpOnly, SameSite=Lax (a link from a WeChat group still signs
    /// the volunteer in; a form posted from another site carries no CSRF token), Secure over HTTPS.
    func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: settings.secureCookies, httpOnly: true, sameSite: .lax)
    }
}
