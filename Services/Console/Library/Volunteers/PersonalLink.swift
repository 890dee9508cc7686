import Foundation
import Hummingbird
import ServiceKit

/// The personal link staff send a volunteer at vetting (`/v/{token}`, the phone token intake
/// issued): it leaves the token in a cookie and sends the volunteer on to `/me`, so the token
/// leaves the address bar, the browser's history and any screenshot of the page.
///
/// The token is a bearer credential: it and this route's URL are never logged, and no page of
/// this route goes through a gate that logs its path.
struct PersonalLink: Sendable {
    let console: Console

    func response(_ request: Request, token: String?) -> Response {
        // The language toggle of the refusal comes back to /me, never to a URL with the token.
        let page = PageContext(language: Language.of(request), account: nil, csrf: "", path: "/me")
        guard let token, let access = try? console.tokens.verify(token), access.role == .volunteer else {
            return Layout.message(
                page.t("链接已失效", "This link no longer works"),
                page.t(
                    "此专属链接无效、已过期或已被收回。请联系您的社工站，请他们发给您一个新的链接。",
                    "This personal link is not valid, has expired or was taken back. Ask your station for a new link."),
                page, status: .unauthorized)
        }
        var response = Redirect(location: "/me").response
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        let seconds = Int(access.expiresAt.timeIntervalSinceNow.rounded(.down))
        response.setCookie(console.cookie(Console.volunteerCookie, token, maxAge: max(0, seconds)))
        return response
    }
}
