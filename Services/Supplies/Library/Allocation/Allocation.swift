import Foundation

/// A scarce lot split across communities by need, by a rule a street office can explain
/// to every community: each gets its share of the quantity in proportion to its need
/// points, rounded down, and the units left over go one each to the largest remainders
/// (Hamilton's largest-remainder method). The shares always sum exactly to the lot, and the
/// same needs always give the same split.
///
/// When the weights find no need anywhere (no household in a sealed or controlled compound,
/// nobody on the registry, no open request) but there are parcels to hand out, the split
/// falls back to every household the street reported, whatever the compound's status, and
/// failing those to the residents: stock on the shelf goes out rather than waiting for a
/// need to be recorded. ``basis`` says which rule split it.
struct Allocation: Sendable, Equatable {
    /// What a community needs: households and residents as the street reports its compounds
    /// (supplies' own record), the registry (outreach) and open requests (intake).
    struct Need: Sendable, Equatable {
        var community: String
        /// Households in sealed compounds (封控).
        var sealedHouseholds: Int
        /// Households in controlled compounds (管控).
        var controlledHouseholds: Int = 0
        /// Households in precaution compounds (防范).
        var precautionHouseholds: Int = 0
        /// Residents: the compounds' reported populations, else the community's census population.
        var population: Int = 0
        /// Residents on outreach's registry.
        var vulnerableResidents: Int
        /// Open requests (工单) for this item's category.
        var openRequests: Int

        var households: Int { sealedHouseholds + controlledHouseholds + precautionHouseholds }
    }

    /// How much each kind of need weighs, in points per household, resident or request;
    /// part of the explanation. A weight left out of a request keeps its default.
    struct Weights: Sendable, Equatable, Codable {
        /// A sealed household cannot fetch anything for itself.
        var sealedHousehold = 2
        /// A controlled household receives at the compound's gate but cannot shop outside: half.
        var controlledHousehold = 1
        /// A precaution household shops for itself: nothing by default.
        var precautionHousehold = 0
        /// Counting every resident would swamp the counts above: nothing by default.
        var resident = 0
        var vulnerableResident = 2
        var openRequest = 3

        /// Every weight, for range checks.
        var all: [Int] { [sealedHousehold, controlledHousehold, precautionHousehold, resident, vulnerableResident, openRequest] }

        /// The first fallback: one point per reported household, whatever its compound's status.
        static let households = Weights(
            sealedHousehold: 1, controlledHousehold: 1, precautionHousehold: 1, resident: 0, vulnerableResident: 0, openRequest: 0)
        /// The last fallback: one point per resident.
        static let residents = Weights(
            sealedHousehold: 0, controlledHousehold: 0, precautionHousehold: 0, resident: 1, vulnerableResident: 0, openRequest: 0)

        func points(_ need: Need) -> Int {
            need.sealedHouseholds * sealedHousehold + need.controlledHouseholds * controlledHousehold
                + need.precautionHouseholds * precautionHousehold + need.population * resident
                + need.vulnerableResidents * vulnerableResident + need.openRequests * openRequest
        }

        /// The points' sum in words, leaving out what weighs nothing.
        func explain(_ need: Need) -> String {
            let terms: [(Int, String, Int)] = [
                (need.sealedHouseholds, "sealed households", sealedHousehold),
                (need.controlledHouseholds, "controlled households", controlledHousehold),
                (need.precautionHouseholds, "precaution households", precautionHousehold),
                (need.population, "residents", resident),
                (need.vulnerableResidents, "vulnerable residents", vulnerableResident),
                (need.openRequests, "open requests", openRequest),
            ]
            let counted = terms.filter { $0.2 > 0 }.map { "\($0.0) \($0.1) × \($0.2)" }
            return counted.isEmpty ? "nothing weighed" : counted.joined(separator: " + ")
        }
    }

    /// Which rule split the lot.
    enum Basis: String, Sendable, Codable, CaseIterable {
        /// The weights asked for.
        case need
        /// No need found: every reported household, one point each.
        case households
        /// No household reported either: every resident, one point each.
        case population
    }

    struct Share: Sendable, Equatable {
        var community: String
        var points: Int
        var quantity: Int
        /// Why this community got this much, in words.
        var reasoning: String
    }

    var total: Int
    var basis: Basis
    var weights: Weights
    var shares: [Share]

    /// Splits `total` by `weights`, falling back to households and then residents when the
    /// weights find no need; every share is zero when nothing at all is known.
    init(total: Int, needs: [Need], weights: Weights = Weights()) {
        let candidates: [(Basis, Weights)] = [(.need, weights), (.households, .households), (.population, .residents)]
        let (basis, chosen) = candidates.first { _, weights in needs.contains { weights.points($0) > 0 } } ?? (.need, weights)
        self.init(total: total, needs: needs, weights: chosen, basis: basis)
    }

    private init(total: Int, needs: [Need], weights: Weights, basis: Basis) {
        self.total = total
        self.basis = basis
        self.weights = weights
        let ordered = needs.sorted { $0.community < $1.community }
        let points = ordered.map(weights.points)
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
        let preface: String =
            switch basis {
            case .need: ""
            case .households: "no recorded need, so by households: "
            case .population: "no recorded need or households, so by residents: "
            }
        shares = ordered.indices.map { index in
            let need = ordered[index]
            let exact = Double(total) * Double(points[index]) / Double(sum)
            var reasoning = preface + weights.explain(need) + " = \(points[index]) of \(sum) points; "
            reasoning += String(format: "quota %.2f of %d", exact, total)
            reasoning += bonusSet.contains(index) ? ", rounded up (one of the \(left) largest remainders)" : ", rounded down"
            return Share(community: need.community, points: points[index], quantity: quantities[index], reasoning: reasoning)
        }
    }
}

extension Allocation.Weights {
    /// A weight left out keeps its default.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self()
        sealedHousehold = try container.decodeIfPresent(Int.self, forKey: .sealedHousehold) ?? defaults.sealedHousehold
        controlledHousehold = try container.decodeIfPresent(Int.self, forKey: .controlledHousehold) ?? defaults.controlledHousehold
        precautionHousehold = try container.decodeIfPresent(Int.self, forKey: .precautionHousehold) ?? defaults.precautionHousehold
        resident = try container.decodeIfPresent(Int.self, forKey: .resident) ?? defaults.resident
        vulnerableResident = try container.decodeIfPresent(Int.self, forKey: .vulnerableResident) ?? defaults.vulnerableResident
        openRequest = try container.decodeIfPresent(Int.self, forKey: .openRequest) ?? defaults.openRequest
    }
}
