import Foundation
import ServiceKit

/// The console's own settings, from the environment.
///
/// | variable | default | meaning |
/// | --- | --- | --- |
/// | `SHOUWANG_INTAKE_URL` … `SHOUWANG_OUTREACH_URL` | `http://127.0.0.1:8081` … `8084` | the services' HTTP APIs |
/// | `SHOUWANG_CONSOLE_PUBLIC_URL` | `http://127.0.0.1:8085` | the console's address as people reach it, for links and QR codes |
/// | `SHOUWANG_CONSOLE_SECURE_COOKIES` | on unless the public URL is `http:` | cookies only over HTTPS |
/// | `SHOUWANG_CONSOLE_QRCODE_JS` | Debian's `node-qrcode-generator` file | the QR code script served at `/static/qrcode.js` |
public struct ConsoleSettings: Sendable {
    public var backends: [Backend: String]
    public var publicURL: String
    public var secureCookies: Bool
    public var qrCodeScript: String

    public init(backends: [Backend: String], publicURL: String, secureCookies: Bool, qrCodeScript: String) {
        self.backends = backends
        self.publicURL = publicURL
        self.secureCookies = secureCookies
        self.qrCodeScript = qrCodeScript
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ConsoleSettings {
        var backends: [Backend: String] = [:]
        for backend in Backend.allCases {
            var url = environment[backend.variable] ?? backend.defaultURL
            while url.hasSuffix("/") { url.removeLast() }
            backends[backend] = url
        }
        var publicURL = environment["SHOUWANG_CONSOLE_PUBLIC_URL"] ?? "http://127.0.0.1:8085"
        while publicURL.hasSuffix("/") { publicURL.removeLast() }
        let secure = environment["SHOUWANG_CONSOLE_SECURE_COOKIES"].map { ["1", "true", "yes"].contains($0.lowercased()) }
        return ConsoleSettings(
            backends: backends, publicURL: publicURL, secureCookies: secure ?? publicURL.hasPrefix("https:"),
            qrCodeScript: environment["SHOUWANG_CONSOLE_QRCODE_JS"] ?? "/usr/share/javascript/qrcode-generator/qrcode.js")
    }
}
