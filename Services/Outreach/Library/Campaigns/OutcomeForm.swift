import Foundation
import Models
import ServiceKit

/// One campaign call's result as the caller submitted it.
struct OutcomeForm: Decodable {
    var outcome: String?
    var note: String?
    var need: NeedForm?
    var escalateTo: String?
}

/// A call's result that passed every check that needs no database: a need comes only with
/// `reached-with-needs`, an escalation only with `needs-escalation`.
struct CallOutcome: Sendable {
    var outcome: ContactProgress.Outcome
    var note: String?
    var need: IdentifiedNeed?
    var escalateTo: EscalationTarget?
}

extension OutcomeForm {
    func validated() throws(ProblemDetails) -> CallOutcome {
        var validator = FieldValidator()
        let outcome: ContactProgress.Outcome? = validator.oneOf(outcome, "outcome")
        let note = validator.text(note, "note", maxLength: 1000, optional: true)
        let escalateTo: EscalationTarget? = validator.oneOf(escalateTo, "escalateTo", optional: outcome != .needsEscalation)
        if outcome != .needsEscalation && self.escalateTo != nil { validator.fail("escalateTo", "only with the outcome needs-escalation") }
        if outcome == .reachedWithNeeds && need == nil { validator.fail("need", "a call that found needs says what they are") }
        if outcome != .reachedWithNeeds && need != nil { validator.fail("need", "only with the outcome reached-with-needs") }
        try validator.check()
        let need = outcome == .reachedWithNeeds ? try need?.validated() : nil
        return CallOutcome(outcome: outcome!, note: note, need: need, escalateTo: escalateTo)
    }
}
