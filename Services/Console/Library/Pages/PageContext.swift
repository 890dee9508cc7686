import Foundation
import Hummingbird
import ServiceKit

/// What every page is rendered with: the viewer's language, who they are, and the CSRF token
/// their forms carry.
struct PageContext: Sendable {
    var language: Language
    /// The signed-in staff member; `nil` on public pages and a volunteer's own.
    var account: Account?
    /// The hidden field of every form this page shows; empty on a page without a session.
    var csrf: String
    /// The path the page was asked for, so the language toggle can come back to it.
    var path: String

    func t(_ zh: String, _ en: String) -> String { language(zh, en) }

    /// A form's hidden CSRF field.
    var csrfField: HTML { "<input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\">" }

    /// A POST form to `action` with the CSRF field and a submit button.
    func button(_ action: String, _ label: String, style: String = "", fields: [String: String] = [:]) -> HTML {
        let hidden = fields.sorted { $0.key < $1.key }.map { key, value -> HTML in
            "<input type=\"hidden\" name=\"\(key)\" value=\"\(value)\">"
        }
        return
            "<form method=\"post\" action=\"\(action)\" class=\"inline\">\(csrfField)\(hidden)<button class=\"\(style)\">\(label)</button></form>"
    }
}
