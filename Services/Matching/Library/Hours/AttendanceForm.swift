import Foundation
import Models
import ServiceKit

/// The steps of a rostered shift as its volunteer works it.
enum AttendanceStep: String, CaseIterable, Sendable {
    case confirm
    case checkIn = "check-in"
    case checkOut = "check-out"
}

/// When a step happened, as sent: a station enters a paper sign-in sheet later, so `at` may
/// lie in the past; left out, it is now.
struct AttendanceForm: Decodable {
    var at: String?
}

extension AttendanceForm {
    /// The moment of the step: not in the future.
    func validated(now: Date = Date()) throws(ProblemDetails) -> Date {
        var validator = FieldValidator()
        let at = validator.pastTime(at, "at", now: now, optional: true)
        guard validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return at ?? now
    }
}

/// A staff correction of a ledger entry, as sent.
struct CorrectionForm: Decodable {
    var hours: Double?
    var reason: String?
}

/// A correction that passed every check that needs no database: 0–24 hours, and why.
struct HoursCorrection: Sendable {
    var hours: Double
    var reason: String
}

extension CorrectionForm {
    func validated() throws(ProblemDetails) -> HoursCorrection {
        var validator = FieldValidator()
        let hours = validator.required(hours, "hours")
        if let hours, !(0...24).contains(hours) { validator.fail("hours", "between 0 and 24") }
        let reason = validator.text(reason, "reason", maxLength: 500)
        guard let hours, let reason, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return HoursCorrection(hours: hours, reason: reason)
    }
}
