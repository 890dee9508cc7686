import Foundation
import ServiceKit

/// Staff cancel a request with a reason, which the request's history keeps for the resident
/// and the station.
struct CancellationForm: Decodable {
    var reason: String?

    func validated() throws(ProblemDetails) -> String {
        var validator = FieldValidator()
        guard let reason = validator.text(reason, "reason", maxLength: 500) else { throw ProblemDetails.validation(validator.errors) }
        return reason
    }
}

/// Staff merge a duplicate into the request it repeats (`into`).
struct MergeForm: Decodable {
    var into: UUID?

    /// The original, which must be another request than `duplicate`.
    func validated(duplicate: UUID) throws(ProblemDetails) -> UUID {
        var validator = FieldValidator()
        let original = validator.required(into, "into")
        if original == duplicate { validator.fail("into", "must be another request") }
        guard let original, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return original
    }
}
