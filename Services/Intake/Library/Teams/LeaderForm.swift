import Foundation
import ServiceKit

/// The volunteer to appoint as a team's leader.
struct LeaderForm: Decodable {
    var volunteerId: UUID?

    func validated() throws(ProblemDetails) -> UUID {
        var validator = FieldValidator()
        guard let volunteer = validator.required(volunteerId, "volunteerId") else { throw ProblemDetails.validation(validator.errors) }
        return volunteer
    }
}
