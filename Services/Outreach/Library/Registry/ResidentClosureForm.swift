import Foundation
import ServiceKit

/// Closing a record: a reason code, and a note (required for `other`) that stays in outreach.
struct ResidentClosureForm: Decodable {
    var reason: String?
    var note: String?
}

struct ResidentClosure: Sendable {
    var reason: ClosureReason
    var note: String?
}

extension ResidentClosureForm {
    func validated() throws(ProblemDetails) -> ResidentClosure {
        var validator = FieldValidator()
        let reason: ClosureReason? = validator.oneOf(reason, "reason")
        let note = validator.text(note, "note", maxLength: 500, optional: reason != .other)
        try validator.check()
        return ResidentClosure(reason: reason!, note: note)
    }
}
