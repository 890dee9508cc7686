import Foundation
import Models
import ServiceKit

/// A reservation as submitted: stock promised to a work order (or held by hand).
struct ReserveForm: Decodable {
    var requestId: UUID?
    var depotId: UUID?
    var itemId: UUID?
    var quantity: Int?
}

struct NewReservation: Sendable {
    /// The work order it serves; a station may also hold stock by hand.
    var request: UUID?
    var depot: UUID
    var item: UUID
    var quantity: Int
}

extension ReserveForm {
    func validated() throws(ProblemDetails) -> NewReservation {
        var validator = FieldValidator()
        let depot = validator.required(depotId, "depotId")
        let item = validator.required(itemId, "itemId")
        let quantity = validator.range(quantity, "quantity", 1...100_000)
        // Every check that fails records its field, so a missing value always comes with its error.
        guard let depot, let item, let quantity, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return NewReservation(request: requestId, depot: depot, item: item, quantity: quantity)
    }
}

/// Why a reservation is withdrawn by hand.
struct ReleaseForm: Decodable {
    var reason: String?

    func validated() throws(ProblemDetails) -> String {
        var validator = FieldValidator()
        let reason = validator.text(reason, "reason", maxLength: 500)
        guard let reason, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return reason
    }
}
