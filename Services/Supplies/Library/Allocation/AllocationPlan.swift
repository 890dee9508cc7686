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
    /// The weights the split used: those asked for, or the fallback's (see `basis`).
    var weights: Allocation.Weights
    var basis: Allocation.Basis
    var shares: [Share]

    /// Splits `quantity` by `needs` (each community with its name); 422 on `area` when
    /// there are no communities, or nothing at all to split by — no need, no household
    /// reported, no resident counted.
    init(_ ask: AllocationAsk, quantity: Int, needs: [(need: Allocation.Need, name: String)]) throws(ProblemDetails) {
        guard !needs.isEmpty else {
            throw ProblemDetails.validation([.init(field: "area", message: "no communities under \(ask.area.rawValue)")])
        }
        let allocation = Allocation(total: quantity, needs: needs.map(\.need), weights: ask.weights)
        guard allocation.shares.contains(where: { $0.points > 0 }) else {
            throw ProblemDetails.validation([
                .init(
                    field: "area",
                    message:
                        "nothing recorded under \(ask.area.rawValue) to split by (need, households of the compounds, residents): report the compounds first"
                )
            ])
        }
        let names = Dictionary(needs.map { ($0.need.community, $0.name) }, uniquingKeysWith: { first, _ in first })
        area = ask.area.rawValue
        self.quantity = quantity
        weights = allocation.weights
        basis = allocation.basis
        shares = allocation.shares.map { share in
            Share(
                community: share.community, name: names[share.community] ?? "", points: share.points, quantity: share.quantity,
                reasoning: share.reasoning
            )
        }
    }
}
