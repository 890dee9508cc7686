/// The relaxation that gives a proven lower bound and the starting roster.
///
/// Exact rostering with rest and daily-hour rules is NP-hard, so quality is
/// measured against a relaxation that is solved exactly. Each volunteer's
/// eligible shifts are split into "time blocks": groups of shifts that pairwise
/// conflict (they all contain a common instant once every shift is stretched
/// by the minimum rest). No legal roster gives a volunteer two shifts of one
/// block, so letting each (volunteer, block) pair take at most one shift —
/// and ignoring conflicts between different blocks and the daily-hour rule —
/// only enlarges the set of rosters. Its optimum, found by `MinCostFlow`, is
/// therefore a valid lower bound on the true optimum. The greedy block split
/// uses the fewest blocks possible (the interval-graph clique cover), which
/// keeps the bound as tight as this construction allows.
struct RosterRelaxation: Sendable {
    /// Objective value of the relaxed optimum: a lower bound for any roster.
    let bound: Int
    /// The relaxed optimum as (shift, volunteer) pairs; may break rules (3)–(5).
    let placements: [(shift: Int, volunteer: Int)]
    /// Optimal seat prices of the relaxation (see `MinCostFlow.seatPrices`).
    let seatPrices: [Double]

    init(model: RosterModel) {
        // 1. Split every volunteer's eligible shifts into conflict blocks.
        var unitVolunteer: [Int32] = []
        // Block of (volunteer, eligible index) pairs, aligned with model.eligibleShift.
        var blockOfEligible = [Int32](repeating: -1, count: model.eligibleShift.count)
        var byExtendedEnd: [Int] = []
        var byStart: [Int] = []
        for volunteer in 0..<model.volunteerCount {
            let range = model.eligible(of: volunteer)
            if range.isEmpty { continue }
            byExtendedEnd.removeAll(keepingCapacity: true)
            byExtendedEnd.append(contentsOf: range)
            byStart.removeAll(keepingCapacity: true)
            byStart.append(contentsOf: range)
            func shift(_ index: Int) -> Int { Int(model.eligibleShift[index]) }
            byExtendedEnd.sort {
                let (a, b) = (shift($0), shift($1))
                return (model.shiftEnd[a], model.shiftStart[a], a) < (model.shiftEnd[b], model.shiftStart[b], b)
            }
            byStart.sort {
                let (a, b) = (shift($0), shift($1))
                return (model.shiftStart[a], a) < (model.shiftStart[b], b)
            }
            var next = 0
            for leader in byExtendedEnd where blockOfEligible[leader] < 0 {
                let block = Int32(unitVolunteer.count)
                unitVolunteer.append(Int32(volunteer))
                let horizon = model.shiftEnd[shift(leader)] + model.restSeconds
                while next < byStart.count && model.shiftStart[shift(byStart[next])] < horizon {
                    if blockOfEligible[byStart[next]] < 0 {
                        blockOfEligible[byStart[next]] = block
                    }
                    next += 1
                }
            }
        }

        // 2. Shift → block edges, in the model's candidate order (cheapest first).
        var edgeUnit = [Int32](repeating: 0, count: model.candidateVolunteer.count)
        var position = model.eligibleStart  // next eligible index per volunteer, by shift order
        // Candidate lists are grouped by shift and eligible lists are in shift
        // order, so walking shifts in order visits each volunteer's eligible
        // entries in order.
        for shift in 0..<model.shiftCount {
            for candidate in model.candidates(of: shift) {
                let volunteer = Int(model.candidateVolunteer[candidate])
                let eligibleIndex = position[volunteer]
                position[volunteer] += 1
                edgeUnit[candidate] = blockOfEligible[eligibleIndex]
            }
        }

        // 3. Solve the relaxation exactly.
        var flow = MinCostFlow(
            capacity: model.shiftSlots,
            unitCount: unitVolunteer.count,
            edgeStart: model.candidateStart,
            edgeUnit: edgeUnit,
            edgeCost: model.candidateCost,
            penalty: PlacementCost.unfilledSlot
        )
        flow.solve()
        bound = flow.totalCost
        seatPrices = flow.seatPrices()
        var placements: [(shift: Int, volunteer: Int)] = []
        for unit in 0..<unitVolunteer.count where flow.unitMatch[unit] >= 0 {
            placements.append((shift: Int(flow.unitMatch[unit]), volunteer: Int(unitVolunteer[unit])))
        }
        self.placements = placements
    }
}
