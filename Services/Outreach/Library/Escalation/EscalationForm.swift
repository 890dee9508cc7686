import Foundation
import ServiceKit

/// An escalation as submitted: to whom, and why.
struct EscalationForm: Decodable {
    var to: String?
    var reason: String?
}

/// An escalation that passed every check that needs no database.
struct NewEscalation: Sendable {
    var target: EscalationTarget
    var reason: String
}

extension EscalationForm {
    func validated() throws(ProblemDetails) -> NewEscalation {
        var validator = FieldValidator()
        let target: EscalationTarget? = validator.oneOf(to, "to")
        let reason = validator.text(reason, "reason", maxLength: 2000)
        try validator.check()
        return NewEscalation(target: target!, reason: reason!)
    }
}
