import Foundation
import Hummingbird
import ServiceKit

/// The console's own plumbing: the home redirect, the language toggle and the static files.
struct ConsoleRoutes: Sendable {
    let console: Console

    /// Where each role starts.
    static func home(_ role: AccessRole) -> String {
        switch role {
        case .operator: "/operations"
        case .dispatcher: "/dispatch"
        case .caller: "/campaigns"
        default: "/vetting"
        }
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/") { request, _ in
            await console.staff(request, roles: Set(AccessRole.allCases)) { visit in
                Redirect(location: Self.home(visit.account.role)).response
            }
        }
        router.get("/lang/:code") { request, context in
            let language = context.parameters.get("code").flatMap(Language.init(rawValue:)) ?? .zh
            let back =
                LocalPath.checked(request.uri.queryParameters["back"].map(String.init)) ?? "/"
            var response = Redirect(location: back).response
            response.setCookie(
                Cookie(name: "lang", value: language.rawValue, maxAge: 365 * 86_400, path: "/", httpOnly: true, sameSite: .lax))
            return response
        }
        router.get("/static/console.css") { _, _ in Self.file(Stylesheet.text, type: "text/css; charset=utf-8") }
        router.get("/static/console.js") { _, _ in Self.file(LiveScript.text, type: "text/javascript; charset=utf-8") }
        let qrCodeScript = console.settings.qrCodeScript
        router.get("/static/qrcode.js") { _, _ in
            // Debian's node-qrcode-generator, served from where the package installs it.
            guard let text = try? String(contentsOfFile: qrCodeScript, encoding: .utf8) else {
                return Response(
                    status: .notFound, headers: [.contentType: "text/plain"],
                    body: .init(byteBuffer: ByteBuffer(string: "install node-qrcode-generator")))
            }
            return Self.file(text, type: "text/javascript; charset=utf-8")
        }
    }

    static func file(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
