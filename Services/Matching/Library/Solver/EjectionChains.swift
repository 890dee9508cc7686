/// Short chains of moves that put one more person on a shift.
///
/// When nobody free can take a slot, someone who *could* take it is often
/// busy with another shift that somebody else could cover. An ejection chain
/// follows that thread: v0 moves into the target shift leaving shift t1, v1
/// moves into t1 leaving t2, ... and ends either with a volunteer who fits
/// without leaving anything, or with the last vacated slot left empty. This is
/// the rule-respecting counterpart of an augmenting path in the flow
/// relaxation, and it is what turns the relaxed optimum into a legal roster
/// without giving up much cost.
struct EjectionChainSearch: Sendable {
    let model: RosterModel
    var maxDepth = 4
    var maxExpansions = 48

    struct Move: Sendable, Equatable {
        var volunteer: Int
        var into: Int
        /// The shift the volunteer gives up, or -1.
        var outOf: Int
    }

    struct Chain: Sendable {
        /// Change of the objective caused by the moves, plus `startingCost`.
        var cost: Int
        var moves: [Move]
    }

    private struct Label {
        var shift: Int
        var cost: Int
        var depth: Int
        var parent: Int
        /// Volunteer who leaves `shift` to fill the parent's shift.
        var volunteer: Int
    }

    /// The cheapest chain found that adds one person to `root`, whose cost
    /// starts at `startingCost`. Volunteers in `excluded` are never moved.
    func cheapestFill(
        of root: Int, startingCost: Int, excluded: [Int], schedules: VolunteerSchedules
    ) -> Chain? {
        var labels = [Label(shift: root, cost: startingCost, depth: 0, parent: -1, volunteer: -1)]
        var bestAtShift: [Int: Int] = [root: startingCost]
        var open = MinHeap()
        open.push(cost: startingCost, label: 0)
        var best: (cost: Int, label: Int, volunteer: Int)? = nil
        var expansions = 0

        while let (cost, index) = open.pop() {
            if let best, best.cost <= cost { break }
            let label = labels[index]
            if bestAtShift[label.shift, default: .max] < label.cost { continue }
            expansions += 1
            if expansions > maxExpansions { break }

            // Volunteers and shifts already on the path must not be reused.
            var pathVolunteers = excluded
            var pathShifts: [Int] = []
            var walk = index
            while walk >= 0 {
                pathShifts.append(labels[walk].shift)
                if labels[walk].volunteer >= 0 { pathVolunteers.append(labels[walk].volunteer) }
                walk = labels[walk].parent
            }
            if label.depth > 0 {
                let leaveEmpty = label.cost + PlacementCost.unfilledSlot
                if leaveEmpty < best?.cost ?? .max {
                    best = (leaveEmpty, index, -1)
                }
            }
            let shift = label.shift
            for candidate in model.candidates(of: shift) {
                let volunteer = Int(model.candidateVolunteer[candidate])
                let placement = label.cost + Int(model.candidateCost[candidate])
                let bestCost = best?.cost ?? .max
                // Candidates are cheapest first: once neither a direct fit nor a
                // chain (which can recover at most one cross-district cost) can
                // beat the best, stop scanning.
                if placement >= bestCost && (label.depth + 1 >= maxDepth || placement - PlacementCost.acrossDistricts >= bestCost) {
                    break
                }
                if pathVolunteers.contains(volunteer) || schedules.isOn(volunteer, shift) { continue }
                if schedules.canAdd(volunteer, shift, model: model) {
                    if placement < bestCost {
                        best = (placement, index, volunteer)
                    }
                    continue
                }
                guard label.depth + 1 < maxDepth else { continue }
                for blocker in schedules.singleBlockers(volunteer, shift, model: model)
                where !pathShifts.contains(blocker) {
                    let next = placement - model.cost(shift: blocker, volunteer: volunteer)
                    if next < bestCost && next < bestAtShift[blocker, default: .max] {
                        bestAtShift[blocker] = next
                        labels.append(Label(shift: blocker, cost: next, depth: label.depth + 1, parent: index, volunteer: volunteer))
                        open.push(cost: next, label: labels.count - 1)
                    }
                }
            }
        }

        guard let best else { return nil }
        var moves: [Move] = []
        if best.volunteer >= 0 {
            moves.append(Move(volunteer: best.volunteer, into: labels[best.label].shift, outOf: -1))
        }
        var walk = best.label
        while labels[walk].parent >= 0 {
            let label = labels[walk]
            moves.append(Move(volunteer: label.volunteer, into: labels[label.parent].shift, outOf: label.shift))
            walk = label.parent
        }
        return Chain(cost: best.cost, moves: moves)
    }

    /// Applies a chain found by `cheapestFill` to the schedules.
    static func apply(_ chain: Chain, to schedules: inout VolunteerSchedules) {
        for move in chain.moves {
            if move.outOf >= 0 { schedules.unassign(move.volunteer, from: move.outOf) }
            schedules.assign(move.volunteer, to: move.into)
        }
    }
}

/// A binary heap of (cost, label) pairs; ties go to the older label so the
/// search is deterministic.
private struct MinHeap {
    private var items: [(cost: Int, label: Int)] = []

    private static func less(_ a: (cost: Int, label: Int), _ b: (cost: Int, label: Int)) -> Bool {
        a.cost != b.cost ? a.cost < b.cost : a.label < b.label
    }

    mutating func push(cost: Int, label: Int) {
        items.append((cost, label))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.less(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (Int, Int)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < items.count && Self.less(items[left], items[smallest]) { smallest = left }
                if right < items.count && Self.less(items[right], items[smallest]) { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return (top.cost, top.label)
    }
}
