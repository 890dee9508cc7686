import Foundation

/// A scarce lot split across communities by need, by a rule a street office can explain
/// to every community: each gets its share of the quantity in proportion to its need
/// points, rounded down, and the units left over go one each to the largest remainders
/// (Hamilton's largest-remainder method). The shares always sum exactly to the lot, and the
/// same needs always give the same split.
struct Allocation: Sendable, Equatable {
    /// What a community needs, from the other services' tables.
    struct Need: Sendable, Equatable {
        var community: String
        /// Households in sealed compounds (封控).
        var sealedHouseholds: Int
        /// Residents on outreach's registry.
        var vulnerableResidents: Int
        /// Open requests (工单) for this item's category.
        var openRequests: Int
    }

    /// How much each kind of need weighs; part of the explanation.
    struct Weights: Sendable, Equatable, Codable {
        var sealedHousehold = 1
        var vulnerableResident = 2
        var openRequest = 3
    }

    struct Share: Sendable, Equatable {
        var community: String
        var points: Int
        var quantity: Int
        /// Why this community got this much, in words.
        var reasoning: String
    }

    var total: Int
    var shares: [Share]

    init(total: Int, needs: [Need], weights: Weights = Weights()) {
        self.total = total
        let ordered = needs.sorted { $0.community < $1.community }
        let points = ordered.map {
            $0.sealedHouseholds * weights.sealedHousehold + $0.vulnerableResidents * weights.vulnerableResident + $0.openRequests
                * weights.openRequest
        }
        let sum = points.reduce(0, +)
        guard total > 0, sum > 0 else {
            shares = ordered.map { Share(community: $0.community, points: 0, quantity: 0, reasoning: "no recorded need") }
            return
        }
        // Integer arithmetic throughout: quotas are total × points / sum, remainders compared exactly.
        var quantities = points.map { total * $0 / sum }
        let remainders = points.map { total * $0 % sum }
        let left = total - quantities.reduce(0, +)
        let bonus = remainders.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }.prefix(left)
        for index in bonus { quantities[index] += 1 }
        let bonusSet = Set(bonus)
        shares = ordered.indices.map { index in
            let need = ordered[index]
            let exact = Double(total) * Double(points[index]) / Double(sum)
            var reasoning =
                "\(need.sealedHouseholds) sealed households × \(weights.sealedHousehold) + \(need.vulnerableResidents) vulnerable residents × \(weights.vulnerableResident) + \(need.openRequests) open requests × \(weights.openRequest) = \(points[index]) of \(sum) points; "
            reasoning += String(format: "quota %.2f of %d", exact, total)
            reasoning += bonusSet.contains(index) ? ", rounded up (one of the \(left) largest remainders)" : ", rounded down"
            return Share(community: need.community, points: points[index], quantity: quantities[index], reasoning: reasoning)
        }
    }
}
