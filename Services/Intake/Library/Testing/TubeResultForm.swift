import Foundation
import ServiceKit

/// A lab's result for one tube: the whole pool's, when samples were pooled.
enum TubeResult: String, Sendable, Codable, CaseIterable {
    case negative, positive
}

/// What the lab (or station staff for it) sends for a tube.
struct TubeResultForm: Decodable {
    var result: String?

    func validated() throws(ProblemDetails) -> TubeResult {
        var validator = FieldValidator()
        let result: TubeResult? = validator.oneOf(result, "result")
        guard let result, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return result
    }
}
