import Foundation
import Hummingbird
import ServiceKit

/// Signing in and out. A wrong name and a wrong password get the same answer in the same
/// time; failed attempts are limited per name and address (``SignInFailures``), and the
/// hashing itself two at a time (``PasswordWork``).
struct SignInRoutes: Sendable {
    let console: Console
    let failures = SignInFailures()

    /// The pre-session CSRF cookie of the sign-in form (double submit: a page of another site
    /// cannot read it, so it cannot sign a visitor in to an account of its choosing).
    static let formCookie = "sw_signin"

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/login") { request, context in
            await console.visitor(request, context) { visit in
                let token = SessionStore.randomToken()
                var response = form(visit, csrf: token, error: nil)
                response.setCookie(console.cookie(Self.formCookie, token, maxAge: 3600))
                return response
            }
        }
        router.post("/login") { request, context in
            await console.visitor(request, context) { visit in
                guard let expected = request.cookies[Self.formCookie]?.value, visit.form["csrf"] == expected else {
                    throw Redirect(location: "/login")
                }
                let username = visit.form.text("username") ?? ""
                let address = context.clientAddress ?? "unknown"
                guard failures.allows(username: username, address: address) else {
                    return form(
                        visit, csrf: expected,
                        error: visit.t(
                            "该账号失败次数过多，请15分钟后再试，或请运维人员协助。", "Too many failed attempts for this account; wait 15 minutes or ask an operator."
                        ),
                        status: .tooManyRequests)
                }
                let signedIn: Account?
                do {
                    signedIn =
                        username.isEmpty
                        ? nil : try await console.accounts.signIn(username: username, password: visit.form["password"] ?? "")
                } catch is PasswordWork.Busy {
                    return form(
                        visit, csrf: expected, error: visit.t("登录人数较多，请几秒后再试。", "Many people are signing in; try again in a few seconds."),
                        status: .serviceUnavailable)
                }
                guard let account = signedIn else {
                    failures.failed(username: username, address: address)
                    return form(visit, csrf: expected, error: visit.t("用户名或密码不正确。", "Wrong username or password."), status: .unauthorized)
                }
                failures.succeeded(username: username, address: address)
                let (token, _) = try await console.sessions.open(for: account)
                let next =
                    LocalPath.checked(visit.form["next"]) ?? ConsoleRoutes.home(account.role)
                var response = Redirect(location: next).response
                response.setCookie(console.cookie(Console.sessionCookie, token, maxAge: Int(SessionStore.lifetime)))
                response.setCookie(console.cookie(Self.formCookie, "", maxAge: 0))
                return response
            }
        }
        router.post("/logout") { request, _ in
            await console.staff(request, roles: Set(AccessRole.allCases)) { _ in
                if let token = request.cookies[Console.sessionCookie]?.value { try await console.sessions.close(token: token) }
                var response = Redirect(location: "/login").response
                response.setCookie(console.cookie(Console.sessionCookie, "", maxAge: 0))
                return response
            }
        }
    }

    private func form(_ visit: PublicVisit, csrf: String, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        let next = visit.request.uri.queryParameters["next"].map(String.init) ?? visit.form["next"] ?? ""
        let alert: HTML = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? .empty
        return Layout.page(
            visit.t("工作人员登录", "Staff sign-in"), visit.page, status: status,
            """
            \(alert)
            <form method="post" action="/login" class="card">
              <input type="hidden" name="csrf" value="\(csrf)"><input type="hidden" name="next" value="\(next)">
              <label>\(visit.t("用户名", "Username"))<input name="username" autocomplete="username" required autofocus></label>
              <label>\(visit.t("密码", "Password"))<input name="password" type="password" autocomplete="current-password" required></label>
              <button>\(visit.t("登录", "Sign in"))</button>
            </form>
            <p class="hint">\(visit.t("志愿者无需登录：请用社工站发给您的专属链接。", "Volunteers need no password: use the personal link your station gave you."))</p>
            """)
    }
}
