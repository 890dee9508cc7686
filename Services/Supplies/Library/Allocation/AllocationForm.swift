import Foundation
import Models
import ServiceKit

/// A request for an allocation plan, as submitted.
struct AllocationForm: Decodable {
    var area: String?
    var quantity: Int?
    /// Counts only open requests of this category (groceries for vegetable parcels…).
    var category: String?
    var weights: Allocation.Weights?
}

/// What to split, where, and by which weights.
struct AllocationAsk: Sendable {
    var area: AreaCode
    var quantity: Int
    /// `nil`: open requests of every category count.
    var category: WorkOrderCategory?
    var weights: Allocation.Weights
}

extension AllocationForm {
    func validated() throws(ProblemDetails) -> AllocationAsk {
        var validator = FieldValidator()
        let area = validator.area(area, "area")
        let quantity = validator.range(quantity, "quantity", 1...10_000_000)
        let weights = weights ?? Allocation.Weights()
        let category: WorkOrderCategory? = validator.oneOf(category, "category", optional: true)
        if [weights.sealedHousehold, weights.vulnerableResident, weights.openRequest].contains(where: { !(0...1000).contains($0) }) {
            validator.fail("weights", "each weight is between 0 and 1000")
        }
        // Every check that fails records its field, so a missing value always comes with its error.
        guard let area, let quantity, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return AllocationAsk(area: area, quantity: quantity, category: category, weights: weights)
    }
}
