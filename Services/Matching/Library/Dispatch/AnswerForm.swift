import Foundation
import Models
import ServiceKit

/// What a volunteer may do with the offer or task they hold.
enum DispatchAction: String, CaseIterable, Sendable {
    case accept, decline, complete
}

/// A volunteer's answer as sent: by the volunteer from their phone, or relayed by a
/// dispatcher or the station on their behalf.
struct AnswerForm: Decodable {
    var volunteerId: UUID?
    var hours: Double?
}

/// An answer that passed every check that needs no database: whose it is, and, for a
/// completion, the hours worked.
enum DispatchAnswer: Sendable, Equatable {
    case accept(volunteer: UUID)
    case decline(volunteer: UUID)
    case complete(volunteer: UUID, hours: Double)
}

extension AnswerForm {
    /// A volunteer answers for themself only (their token's subject is their id); anyone
    /// else relays the answer of the volunteer named in the body.
    func validated(_ action: DispatchAction, by access: AccessToken) throws(ProblemDetails) -> DispatchAnswer {
        let own = access.role == .volunteer ? UUID(uuidString: access.subject) : nil
        if access.role == .volunteer && (own == nil || (volunteerId != nil && volunteerId != own)) {
            throw ProblemDetails(status: .forbidden, detail: "A volunteer answers only their own offers.")
        }
        var validator = FieldValidator()
        let volunteer = validator.required(own ?? volunteerId, "volunteerId")
        if action == .complete && hours == nil { validator.fail("hours", "the hours worked are recorded on completion") }
        guard let volunteer, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        switch action {
        case .accept: return .accept(volunteer: volunteer)
        case .decline: return .decline(volunteer: volunteer)
        case .complete: return .complete(volunteer: volunteer, hours: hours ?? 0)
        }
    }
}
