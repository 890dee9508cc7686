import Foundation
import ServiceKit

/// What station staff do to a volunteer's record, and why (a rejection or suspension needs
/// a reason, which ``VolunteerVetting`` insists on).
struct VettingForm: Decodable {
    var action: String?
    var reason: String?

    struct Vetting: Sendable {
        var action: VettingAction
        /// Optional in the form; the state machine refuses the actions that need one.
        var reason: String?
    }

    func validated() throws(ProblemDetails) -> Vetting {
        var validator = FieldValidator()
        let action: VettingAction? = validator.oneOf(action, "action")
        let reason = validator.text(reason, "reason", maxLength: 500, optional: true)
        guard let action, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return Vetting(action: action, reason: reason)
    }
}
