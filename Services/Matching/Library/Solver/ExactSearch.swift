/// Exhaustive branch-and-bound for instances small enough to enumerate.
///
/// The flow relaxation plus ejection chains is a heuristic once rest and
/// daily-hour rules bind, and its bound is not always tight. For small
/// instances (a handful of shifts, as in a single post or a unit test) the
/// solver can afford certainty, so it runs this search with a node budget and
/// reports the roster as proven optimal only when the search completes.
struct ExactSearch {
    let model: RosterModel
    let nodeLimit: Int
    /// A proven lower bound of every roster's cost: a roster that reaches it
    /// is optimal, so the search stops there instead of spending its budget.
    let floor: Int

    private(set) var nodes = 0
    private(set) var bestCost: Int
    private(set) var bestPlacements: [(shift: Int, volunteer: Int)] = []
    private(set) var improved = false
    private var schedules: VolunteerSchedules
    private var path: [(shift: Int, volunteer: Int)] = []
    /// Lower bound of the cost of shifts `s...` ignoring every pairwise rule.
    private var suffixBound: [Int]

    /// Starts from an incumbent roster of cost `incumbent`; only strictly
    /// better rosters replace it. `floor` is a proven lower bound (0 if none).
    init(model: RosterModel, incumbent: Int, nodeLimit: Int, floor: Int = 0) {
        self.model = model
        self.nodeLimit = nodeLimit
        self.floor = floor
        bestCost = incumbent
        schedules = VolunteerSchedules(volunteerCount: model.volunteerCount, shiftCount: model.shiftCount)
        suffixBound = Array(repeating: 0, count: model.shiftCount + 1)
        for shift in stride(from: model.shiftCount - 1, through: 0, by: -1) {
            suffixBound[shift] =
                suffixBound[shift + 1] + Self.cheapest(model, shift, from: model.candidateStart[shift], seats: model.shiftSlots[shift])
        }
    }

    /// Cost of filling `seats` seats of `shift` with the cheapest candidates
    /// from list position `from` on, empty seats included.
    private static func cheapest(_ model: RosterModel, _ shift: Int, from: Int, seats: Int) -> Int {
        let end = model.candidateStart[shift + 1]
        let usable = min(seats, max(0, end - from))
        var cost = (seats - usable) * PlacementCost.unfilledSlot
        for index in from..<(from + usable) { cost += Int(model.candidateCost[index]) }
        return cost
    }

    /// Runs the search; returns true when it finished within the node budget
    /// or reached `floor`, i.e. when `bestCost` is the optimum.
    mutating func run() -> Bool {
        search(shift: 0, seat: 0, from: 0, cost: 0)
    }

    private mutating func search(shift: Int, seat: Int, from: Int, cost: Int) -> Bool {
        if bestCost <= floor { return true }
        nodes += 1
        if nodes > nodeLimit { return false }
        if shift == model.shiftCount {
            if cost < bestCost {
                bestCost = cost
                bestPlacements = path
                improved = true
            }
            return true
        }
        let seats = model.shiftSlots[shift]
        let start = from
        let remainingSeats = seats - seat
        let bound = cost + Self.cheapest(model, shift, from: start, seats: remainingSeats) + suffixBound[shift + 1]
        if bound >= bestCost { return true }
        if remainingSeats > 0 {
            for candidate in start..<model.candidateStart[shift + 1] {
                let volunteer = Int(model.candidateVolunteer[candidate])
                guard schedules.canAdd(volunteer, shift, model: model) else { continue }
                schedules.assign(volunteer, to: shift)
                path.append((shift, volunteer))
                let finished = search(shift: shift, seat: seat + 1, from: candidate + 1, cost: cost + Int(model.candidateCost[candidate]))
                path.removeLast()
                schedules.unassign(volunteer, from: shift)
                if !finished { return false }
            }
        }
        // Leave the remaining seats of this shift empty.
        return search(
            shift: shift + 1, seat: 0, from: model.candidateStart[shift + 1],
            cost: cost + remainingSeats * PlacementCost.unfilledSlot
        )
    }
}
