import Foundation
import Models
import ServiceKit

/// What to plan: an area and a time window of shift starts.
struct PlanForm: Decodable {
    var area: String?
    var from: String?
    var to: String?
}

/// A planning window that passed every check that needs no database: it ends after it
/// starts, within 14 days (the solver's instances stay small enough to answer in seconds).
struct PlanWindow: Sendable {
    var area: AreaCode
    var from: Date
    var to: Date
}

extension PlanForm {
    func validated() throws(ProblemDetails) -> PlanWindow {
        var validator = FieldValidator()
        let area = validator.area(area, "area")
        let from = validator.required(from.flatMap(Timestamp.parse), "from")
        let to = validator.required(to.flatMap(Timestamp.parse), "to")
        if let from, let to, to <= from || to.timeIntervalSince(from) > 14 * 86_400 {
            validator.fail("to", "the window ends after it starts, within 14 days")
        }
        guard let area, let from, let to, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return PlanWindow(area: area, from: from, to: to)
    }
}
