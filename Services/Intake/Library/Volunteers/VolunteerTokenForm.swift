import Foundation
import ServiceKit

/// How long a volunteer's phone token lasts, as staff ask for it at vetting.
struct VolunteerTokenForm: Decodable {
    var days: Int?

    init(days: Int? = nil) {
        self.days = days
    }

    /// A token lasts 30 days unless staff ask for 1 to 90: long enough for a lockdown, short
    /// enough that a lost phone is not a key for the rest of the year.
    func validated() throws(ProblemDetails) -> Int {
        guard let days else { return 30 }
        guard (1...90).contains(days) else { throw ProblemDetails.validation([.init(field: "days", message: "must be 1–90")]) }
        return days
    }
}
