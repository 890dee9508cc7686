import Foundation
import Models
import ServiceKit

/// A delivery run as planned by a dispatcher: one volunteer, one depot, several doors.
struct RunForm: Decodable {
    var depotId: UUID?
    var volunteerId: UUID?
    var reservationIds: [UUID]?
}

struct NewRun: Sendable {
    var depot: UUID
    var volunteer: UUID
    /// 1–50 distinct held reservations of the depot, one stop each.
    var reservations: [UUID]
}

extension RunForm {
    func validated() throws(ProblemDetails) -> NewRun {
        var validator = FieldValidator()
        let depot = validator.required(depotId, "depotId")
        let volunteer = validator.required(volunteerId, "volunteerId")
        let reservations = reservationIds ?? []
        if !(1...50).contains(reservations.count) { validator.fail("reservationIds", "a run has 1–50 stops") }
        if Set(reservations).count != reservations.count { validator.fail("reservationIds", "a reservation appears twice") }
        // Every check that fails records its field, so a missing value always comes with its error.
        guard let depot, let volunteer, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return NewRun(depot: depot, volunteer: volunteer, reservations: reservations)
    }
}

/// How a stop went, as the volunteer reports it.
struct OutcomeForm: Decodable {
    var outcome: String?
    /// Delivered: what proves it (a photo's reference, who signed).
    var proof: String?
    /// Failed: why (nobody home, wrong address…).
    var reason: String?
}

/// A stop's outcome: delivered with its proof, or failed with its reason.
enum StopOutcome: Sendable {
    enum Kind: String, CaseIterable { case delivered, failed }

    case delivered(proof: String)
    case failed(reason: String)

    var kind: Kind {
        switch self {
        case .delivered: .delivered
        case .failed: .failed
        }
    }
}

extension OutcomeForm {
    func validated() throws(ProblemDetails) -> StopOutcome {
        var validator = FieldValidator()
        let kind: StopOutcome.Kind? = validator.oneOf(outcome, "outcome")
        let proof = validator.text(proof, "proof", maxLength: 500, optional: kind != .delivered)
        let reason = validator.text(reason, "reason", maxLength: 500, optional: kind != .failed)
        switch (kind, proof, reason) {
        case (.delivered, let proof?, _) where validator.errors.isEmpty: return .delivered(proof: proof)
        case (.failed, _, let reason?) where validator.errors.isEmpty: return .failed(reason: reason)
        default: throw ProblemDetails.validation(validator.errors)
        }
    }
}
