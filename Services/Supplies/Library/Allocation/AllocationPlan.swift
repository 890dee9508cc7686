import Foundation
import Models
import ServiceKit

/// The answer to an allocation request: each community's share with its reasoning, so a
/// street office can show every community how its share was reached.
struct AllocationPlan: Codable {
    struct Share: Codable {
        var community: String
        var name: String
        var points: Int
        var quantity: Int
        var reasoning: String
    }
    var area: String
    var quantity: Int
    var weights: Allocation.Weights
    var shares: [Share]

    /// Splits `ask.quantity` by `needs` (each community with its name); 422 on `area` when
    /// there are no communities, or none with any recorded need — nothing to split by.
    init(_ ask: AllocationAsk, needs: [(need: Allocation.Need, name: String)]) throws(ProblemDetails) {
        guard !needs.isEmpty else {
            throw ProblemDetails.validation([.init(field: "area", message: "no communities under \(ask.area.rawValue)")])
        }
        let allocation = Allocation(total: ask.quantity, needs: needs.map(\.need), weights: ask.weights)
        guard allocation.shares.contains(where: { $0.points > 0 }) else {
            throw ProblemDetails.validation([
                .init(
                    field: "area",
                    message: "no recorded need under \(ask.area.rawValue) (sealed households, registry, open requests): nothing to split by"
                )
            ])
        }
        let names = Dictionary(needs.map { ($0.need.community, $0.name) }, uniquingKeysWith: { first, _ in first })
        area = ask.area.rawValue
        quantity = ask.quantity
        weights = ask.weights
        shares = allocation.shares.map { share in
            Share(
                community: share.community, name: names[share.community] ?? "", points: share.points, quantity: share.quantity,
                reasoning: share.reasoning
            )
        }
    }
}
