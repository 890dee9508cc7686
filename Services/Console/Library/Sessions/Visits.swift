import Foundation
import Hummingbird
import Models
import ServiceKit

/// A signed-in staff member's request: their session, a caller of the services with their
/// scope, the page context and, for a POST, the form (its CSRF token already checked).
struct StaffVisit: Sendable {
    var session: ConsoleSession
    var page: PageContext
    var calls: BackendCalls
    var form: FormBody
    var request: Request

    var account: Account { session.account }
    func t(_ zh: String, _ en: String) -> String { page.t(zh, en) }
}

/// A volunteer's request through their personal link: their own token, and the services'
/// answers to it (their offers, their shifts, the task they hold).
struct VolunteerVisit: Sendable {
    /// The volunteer's id (their token's subject).
    var volunteerID: String
    var page: PageContext
    var calls: BackendCalls
    var form: FormBody
    var request: Request

    func t(_ zh: String, _ en: String) -> String { page.t(zh, en) }
}

/// Someone without a session: the sign-in page, a recruitment call's public sign-up.
struct PublicVisit: Sendable {
    var page: PageContext
    var form: FormBody
    var request: Request
    var context: ServiceRequestContext

    func t(_ zh: String, _ en: String) -> String { page.t(zh, en) }
}

/// A page asked the visitor to go elsewhere (after a POST, or to sign in).
struct Redirect: Error, Sendable {
    var location: String

    var response: Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
