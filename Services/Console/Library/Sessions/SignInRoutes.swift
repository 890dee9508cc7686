import Foundation
import Hummingbird
import ServiceKit

/// Signing in and out. A wrong name and a wrong password get the same answer in the same
/// time; attempts are limited per client address, as the services limit their public doors.
struct SignInRoutes: Sendable {
    let console: Console
    let limiter = RateLimiter(perMinute: 10, burst: 5)

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
                do { try limiter.admit(context) } catch {
                    return form(
                        visit, csrf: expected, error: visit.t("尝试次数过多，请一分钟后再试。", "Too many attempts; wait a minute."),
                        status: .tooManyRequests)
                }
                let signedIn: Account?
                do {
                    if let username = visit.form.text("username") {
                        signedIn = try await console.accounts.signIn(username: username, password: visit.form["password"] ?? "")
                    } else {
                        signedIn = nil
                    }
                } catch is PasswordWork.Busy {
                    return form(
                        visit, csrf: expected, error: visit.t("登录人数较多，请几秒后再试。", "Many people are signing in; try again in a few seconds."),
                        status: .serviceUnavailable)
                }
                guard let account = signedIn else {
                    return form(visit, csrf: expected, error: visit.t("用户名或密码不正确。", "Wrong username or password."), status: .unauthorized)
                }
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
