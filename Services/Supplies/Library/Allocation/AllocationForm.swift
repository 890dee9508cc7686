import Foundation
import Models
import ServiceKit

/// A request for an allocation plan, as submitted.
struct AllocationForm: Decodable {
    var area: String?
    /// Required for a preview; for a kept plan, what is available at the depot when absent.
    var quantity: Int?
    /// Counts only open requests of this category (groceries for vegetable parcels…).
    var category: String?
    var weights: Allocation.Weights?
    /// The depot the lot is on: with `itemId`, the plan is kept, to be approved and carried
    /// out as transfers.
    var depotId: UUID?
    var itemId: UUID?
    /// The depot each community's share goes to, for communities without exactly one depot.
    var destinations: [String: UUID]?
}

/// What to split, where, and by which weights.
struct AllocationAsk: Sendable {
    /// The lot a kept plan splits.
    struct Source: Sendable {
        var depot: UUID
        var item: UUID
    }

    var area: AreaCode
    /// `nil` only for a kept plan: the depot's available stock is split.
    var quantity: Int?
    /// `nil`: open requests of every category count.
    var category: WorkOrderCategory?
    var weights: Allocation.Weights
    /// `nil`: a preview, nothing is kept.
    var source: Source?
    var destinations: [AreaCode: UUID]
}

extension AllocationForm {
    func validated() throws(ProblemDetails) -> AllocationAsk {
        var validator = FieldValidator()
        let area = validator.area(area, "area")
        let quantity = validator.range(quantity, "quantity", 1...10_000_000, optional: depotId != nil)
        let weights = weights ?? Allocation.Weights()
        let category: WorkOrderCategory? = validator.oneOf(category, "category", optional: true)
        if weights.all.contains(where: { !(0...1000).contains($0) }) {
            validator.fail("weights", "each weight is between 0 and 1000")
        }
        if (depotId == nil) != (itemId == nil) { validator.fail(depotId == nil ? "depotId" : "itemId", "depotId and itemId go together") }
        var targets: [AreaCode: UUID] = [:]
        if let destinations {
            if destinations.count > 500 { validator.fail("destinations", "at most 500 communities") }
            if depotId == nil { validator.fail("destinations", "only with depotId and itemId: a preview moves nothing") }
            for (community, depot) in destinations.sorted(by: { $0.key < $1.key }).prefix(500) {
                guard let code = validator.area(community, "destinations", level: .community) else { continue }
                if let area, !area.contains(code) { validator.fail("destinations", "\(community) is not under \(area.rawValue)") }
                targets[code] = depot
            }
        }
        // Every check that fails records its field, so a missing value always comes with its error.
        guard let area, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        let source = depotId.flatMap { depot in itemId.map { AllocationAsk.Source(depot: depot, item: $0) } }
        return AllocationAsk(
            area: area, quantity: quantity, category: category, weights: weights, source: source, destinations: targets)
    }
}
