/// Minimum-cost filling of interchangeable slots from unit-capacity resources.
///
/// This is the transportation core behind both the lower bound and the
/// starting roster: "demands" (shifts) want up to `capacity` units, each
/// "unit" can serve one demand, every demand–unit edge has a small
/// non-negative integer cost, and each slot left empty costs `penalty`.
/// Because costs are tiny integers the primal–dual method needs at most
/// `penalty` phases, each one a bucket-queue shortest-path pass followed by a
/// maximum flow on zero-reduced-cost edges — fast enough for millions of edges
/// and exactly optimal for the relaxed problem.
struct MinCostFlow: Sendable {
    let demandCount: Int
    let unitCount: Int
    let capacity: [Int]
    /// Edges of demand `d` are `edgeUnit[edgeStart[d]..<edgeStart[d+1]]`.
    let edgeStart: [Int]
    let edgeUnit: [Int32]
    let edgeCost: [Int32]
    let penalty: Int

    /// The demand each unit serves, or -1.
    private(set) var unitMatch: [Int32]
    private(set) var unitMatchCost: [Int32]
    private(set) var load: [Int]
    private var demandPotential: [Int]
    private var unitPotential: [Int]
    private var sinkPotential = 0

    // Scratch space reused between phases.
    private var demandDistance: [Int]
    private var unitDistance: [Int]
    private var demandStamp: [Int32]
    private var unitStamp: [Int32]
    private var cursor: [Int]
    private var stamp: Int32 = 0

    init(capacity: [Int], unitCount: Int, edgeStart: [Int], edgeUnit: [Int32], edgeCost: [Int32], penalty: Int) {
        demandCount = capacity.count
        self.unitCount = unitCount
        self.capacity = capacity
        self.edgeStart = edgeStart
        self.edgeUnit = edgeUnit
        self.edgeCost = edgeCost
        self.penalty = penalty
        unitMatch = Array(repeating: -1, count: unitCount)
        unitMatchCost = Array(repeating: 0, count: unitCount)
        load = Array(repeating: 0, count: demandCount)
        demandPotential = Array(repeating: 0, count: demandCount)
        unitPotential = Array(repeating: 0, count: unitCount)
        demandDistance = Array(repeating: .max, count: demandCount)
        unitDistance = Array(repeating: .max, count: unitCount)
        demandStamp = Array(repeating: 0, count: demandCount)
        unitStamp = Array(repeating: 0, count: unitCount)
        cursor = Array(repeating: 0, count: demandCount)
    }

    /// Total cost of the current solution, empty slots included.
    var totalCost: Int {
        var cost = 0
        for unit in 0..<unitCount where unitMatch[unit] >= 0 {
            cost += Int(unitMatchCost[unit])
        }
        for demand in 0..<demandCount {
            cost += penalty * (capacity[demand] - load[demand])
        }
        return cost
    }

    /// Optimal dual prices of one more seat on each demand: `penalty` minus
    /// the cheapest way to fill an extra seat in the final residual graph,
    /// clamped to 0...penalty. They are optimal multipliers for the demand
    /// capacities, which makes them the right start for a Lagrangian bound.
    func seatPrices() -> [Double] {
        // Distances to the sink, by label correcting over demands (the
        // residual graph has no negative cycle because the flow is optimal).
        var distance = [Int](repeating: penalty, count: demandCount)
        for demand in 0..<demandCount {
            for edge in edgeStart[demand]..<edgeStart[demand + 1] where unitMatch[Int(edgeUnit[edge])] < 0 {
                distance[demand] = min(distance[demand], Int(edgeCost[edge]))
            }
        }
        var changed = true
        var passes = 0
        while changed && passes < penalty + demandCount {
            changed = false
            passes += 1
            for demand in 0..<demandCount {
                for edge in edgeStart[demand]..<edgeStart[demand + 1] {
                    let unit = Int(edgeUnit[edge])
                    let owner = Int(unitMatch[unit])
                    if owner < 0 || owner == demand { continue }
                    let through = Int(edgeCost[edge]) - Int(unitMatchCost[unit]) + distance[owner]
                    if through < distance[demand] {
                        distance[demand] = through
                        changed = true
                    }
                }
            }
        }
        return distance.map { Double(min(penalty, max(0, penalty - $0))) }
    }

    /// Runs the primal–dual method to optimality.
    mutating func solve() {
        while let phaseDistance = shortestPaths() {
            updatePotentials(phaseDistance)
            augmentAdmissible()
        }
    }

    /// Bucket-queue Dijkstra on reduced costs from all demands with spare
    /// capacity; returns the reduced distance to the sink, or nil when no
    /// augmenting path is cheaper than leaving the slot empty.
    private mutating func shortestPaths() -> Int? {
        let limit = penalty - 1 - sinkPotential
        guard limit >= 0 else { return nil }
        for index in 0..<demandCount { demandDistance[index] = .max }
        for index in 0..<unitCount { unitDistance[index] = .max }
        // Nodes: demands are 0..<demandCount, units follow.
        var buckets = [[Int32]](repeating: [], count: limit + 1)
        var sinkDistance = Int.max
        for demand in 0..<demandCount where load[demand] < capacity[demand] {
            let reduced = -demandPotential[demand]
            if reduced <= limit {
                demandDistance[demand] = reduced
                buckets[reduced].append(Int32(demand))
            }
        }
        let offset = demandCount
        var bucket = 0
        while bucket <= limit && bucket < sinkDistance {
            guard let node32 = buckets[bucket].popLast() else {
                bucket += 1
                continue
            }
            let node = Int(node32)
            if node < offset {
                let demand = node
                guard demandDistance[demand] == bucket else { continue }
                let base = bucket + demandPotential[demand]
                for edge in edgeStart[demand]..<edgeStart[demand + 1] {
                    let unit = Int(edgeUnit[edge])
                    if Int(unitMatch[unit]) == demand { continue }
                    let distance = base + Int(edgeCost[edge]) - unitPotential[unit]
                    if distance < unitDistance[unit] && distance <= limit {
                        unitDistance[unit] = distance
                        buckets[distance].append(Int32(offset + unit))
                    }
                }
            } else {
                let unit = node - offset
                guard unitDistance[unit] == bucket else { continue }
                let owner = Int(unitMatch[unit])
                if owner < 0 {
                    let distance = bucket + unitPotential[unit] - sinkPotential
                    if distance < sinkDistance { sinkDistance = distance }
                } else {
                    let distance = bucket - Int(unitMatchCost[unit]) + unitPotential[unit] - demandPotential[owner]
                    if distance < demandDistance[owner] && distance <= limit {
                        demandDistance[owner] = distance
                        buckets[distance].append(Int32(owner))
                    }
                }
            }
        }
        return sinkDistance <= limit ? sinkDistance : nil
    }

    private mutating func updatePotentials(_ distance: Int) {
        for demand in 0..<demandCount {
            demandPotential[demand] += min(demandDistance[demand], distance)
        }
        for unit in 0..<unitCount {
            unitPotential[unit] += min(unitDistance[unit], distance)
        }
        sinkPotential += distance
    }

    /// Maximum flow on the zero-reduced-cost subgraph, by rounds of
    /// depth-first augmentation until a round finds nothing.
    private mutating func augmentAdmissible() {
        while true {
            stamp += 1
            for demand in 0..<demandCount { cursor[demand] = edgeStart[demand] }
            var augmented = false
            for demand in 0..<demandCount where demandPotential[demand] == 0 {
                while load[demand] < capacity[demand] && augment(demand) {
                    augmented = true
                }
            }
            if !augmented { return }
        }
    }

    /// Tries to give `demand` one more unit along admissible edges.
    private mutating func augment(_ demand: Int) -> Bool {
        demandStamp[demand] = stamp
        let end = edgeStart[demand + 1]
        while cursor[demand] < end {
            let edge = cursor[demand]
            cursor[demand] += 1
            let unit = Int(edgeUnit[edge])
            let cost = Int(edgeCost[edge])
            if unitStamp[unit] == stamp || Int(unitMatch[unit]) == demand { continue }
            if cost + demandPotential[demand] - unitPotential[unit] != 0 { continue }
            unitStamp[unit] = stamp
            let owner = Int(unitMatch[unit])
            if owner < 0 {
                guard unitPotential[unit] == sinkPotential else { continue }
            } else {
                guard demandStamp[owner] != stamp,
                    unitPotential[unit] - Int(unitMatchCost[unit]) - demandPotential[owner] == 0,
                    augment(owner)
                else { continue }
                load[owner] -= 1
            }
            unitMatch[unit] = Int32(demand)
            unitMatchCost[unit] = Int32(cost)
            load[demand] += 1
            return true
        }
        return false
    }
}
