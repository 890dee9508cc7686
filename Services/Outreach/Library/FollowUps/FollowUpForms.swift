import Foundation
import Models
import ServiceKit

/// A follow-up call as the caller submitted it.
struct FollowUpForm: Decodable {
    var outcome: String?
    var note: String?
}

/// What a follow-up call can end with (a campaign call has more outcomes).
enum FollowUpOutcome: String, Sendable, CaseIterable {
    case reachedWell = "reached-well"
    case reachedWithNeeds = "reached-with-needs"
    case noAnswer = "no-answer"
}

/// A follow-up call that passed every check that needs no database.
struct FollowUpCall: Sendable {
    var outcome: FollowUpOutcome
    var note: String?
}

extension FollowUpForm {
    func validated() throws(ProblemDetails) -> FollowUpCall {
        var validator = FieldValidator()
        let outcome: FollowUpOutcome? = validator.oneOf(outcome, "outcome")
        let note = validator.text(note, "note", maxLength: 1000, optional: true)
        try validator.check()
        return FollowUpCall(outcome: outcome!, note: note)
    }
}

/// A home visit as the visitor submitted it: the needs assessment, and a need found, if any.
struct VisitForm: Decodable {
    var assessment: JSONValue?
    var notes: String?
    var need: NeedForm?
}

/// A home visit that passed every check that needs no database.
struct HomeVisit: Sendable {
    /// The findings, an object.
    var assessment: JSONValue
    var notes: String?
    var need: IdentifiedNeed?
}

extension VisitForm {
    func validated() throws(ProblemDetails) -> HomeVisit {
        var validator = FieldValidator()
        let assessment = validator.required(assessment, "assessment")
        if let assessment, case .object = assessment {
        } else if assessment != nil {
            validator.fail("assessment", "is an object of findings")
        }
        let notes = validator.text(notes, "notes", maxLength: 2000, optional: true)
        try validator.check()
        return HomeVisit(assessment: assessment!, notes: notes, need: try need?.validated())
    }
}
