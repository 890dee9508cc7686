import Foundation

/// A tighter lower bound that respects every schedule rule of each volunteer.
///
/// The block relaxation ignores conflicts between blocks and the daily-hour
/// rule, so when volunteers are scarce (and must work several shifts) its
/// bound can be far below the best roster, making a good roster look bad.
/// Pricing each seat instead ("Lagrangian relaxation" of the seat limits)
/// lets every volunteer pick their own best *legal* schedule independently,
/// which is an easy dynamic programme over their shifts in time order. For any
/// non-negative prices the result is a valid bound; starting from the flow's
/// optimal prices it is never weaker than the flow bound, and a few
/// subgradient steps tighten it further.
struct LagrangianBound {
    let model: RosterModel

    /// The best bound found within `iterations` price updates. `bestKnown`
    /// is the objective of a known roster (it steers the step size).
    func bound(startingPrices: [Double], bestKnown: Int, iterations: Int) -> Int {
        var prices = startingPrices
        let totalSlots = model.totalSlots
        let penalty = Double(PlacementCost.unfilledSlot)
        var best = -Double.infinity
        var scale = 0.05
        var sinceImprovement = 0
        var usage = [Int](repeating: 0, count: model.shiftCount)
        var scratch = ScheduleScratch()
        for _ in 0..<max(1, iterations) {
            for index in usage.indices { usage[index] = 0 }
            var profit = 0.0
            for shift in 0..<model.shiftCount { profit += prices[shift] * Double(model.shiftSlots[shift]) }
            for volunteer in 0..<model.volunteerCount {
                profit += bestSchedule(volunteer, prices: prices, usage: &usage, scratch: &scratch)
            }
            let value = penalty * Double(totalSlots) - profit
            if value > best + 1e-9 {
                best = value
                sinceImprovement = 0
            } else {
                sinceImprovement += 1
                if sinceImprovement >= 3 {
                    scale /= 2
                    sinceImprovement = 0
                }
            }
            if Double(bestKnown) - best < 1 - 1e-6 { break }  // cannot improve an integer bound further
            var norm = 0.0
            for shift in 0..<model.shiftCount {
                let gradient = Double(model.shiftSlots[shift] - usage[shift])
                if gradient < 0 || prices[shift] > 0 { norm += gradient * gradient }
            }
            if norm == 0 { break }
            let step = scale * max(1, Double(bestKnown) - value) / norm
            for shift in 0..<model.shiftCount {
                let gradient = Double(model.shiftSlots[shift] - usage[shift])
                prices[shift] = min(penalty, max(0, prices[shift] - step * gradient))
            }
        }
        return Int((best - 1e-6).rounded(.up))
    }

    /// Reusable buffers for `bestSchedule`.
    struct ScheduleScratch {
        var shifts: [Int] = []
        var byRestedEnd: [Int] = []
        var weights: [Double] = []
        var states: [State] = []
        var stateStart: [Int] = []
        var bestState: [Int] = []
        var completedToday: [Int] = []
        var candidates: [State] = []

        struct State {
            var hours: Int
            var value: Double
            var shift: Int
            var previous: Int
        }
    }

    /// The most valuable legal schedule of one volunteer for the given seat
    /// prices; adds the chosen shifts to `usage` and returns its value.
    ///
    /// Shifts are taken in start order. A schedule ending with shift i either
    /// follows a schedule that ended on an earlier day (only the best such
    /// value matters, the daily hours restart) or follows a same-day shift
    /// that ended at least the rest time earlier (states keep the hours used
    /// that day, pruned to the non-dominated ones).
    private func bestSchedule(
        _ volunteer: Int, prices: [Double], usage: inout [Int], scratch: inout ScheduleScratch
    ) -> Double {
        let penalty = Double(PlacementCost.unfilledSlot)
        scratch.shifts.removeAll(keepingCapacity: true)
        for index in model.eligible(of: volunteer) {
            let shift = Int(model.eligibleShift[index])
            if penalty - Double(model.cost(shift: shift, volunteer: volunteer)) - prices[shift] > 1e-12 {
                scratch.shifts.append(shift)
            }
        }
        if scratch.shifts.isEmpty { return 0 }
        let start = model.shiftStart
        let end = model.shiftEnd
        let rest = model.restSeconds
        scratch.shifts.sort { (start[$0], $0) < (start[$1], $1) }
        let shifts = scratch.shifts
        scratch.byRestedEnd.removeAll(keepingCapacity: true)
        scratch.byRestedEnd.append(contentsOf: shifts.indices)
        scratch.byRestedEnd.sort { (end[shifts[$0]], $0) < (end[shifts[$1]], $1) }
        scratch.weights.removeAll(keepingCapacity: true)
        for shift in shifts {
            scratch.weights.append(penalty - Double(model.cost(shift: shift, volunteer: volunteer)) - prices[shift])
        }
        scratch.states.removeAll(keepingCapacity: true)
        scratch.stateStart.removeAll(keepingCapacity: true)
        scratch.bestState.removeAll(keepingCapacity: true)
        scratch.completedToday.removeAll(keepingCapacity: true)

        var completed = 0
        var currentDay = Int.min
        // Best schedule among those finished (plus rest) on days before `currentDay`.
        var earlierBest = 0.0
        var earlierState = -1
        // Best schedule finished (plus rest) on `currentDay` itself so far.
        var todayBest = 0.0
        var todayState = -1
        var overallBest = 0.0
        var overallState = -1

        for (i, shift) in shifts.enumerated() {
            let day = model.shiftDay[shift]
            if day != currentDay {
                if todayBest > earlierBest { (earlierBest, earlierState) = (todayBest, todayState) }
                (todayBest, todayState) = (0, -1)
                scratch.completedToday.removeAll(keepingCapacity: true)
                currentDay = day
            }
            while completed < shifts.count, end[shifts[scratch.byRestedEnd[completed]]] + rest <= start[shift] {
                let j = scratch.byRestedEnd[completed]
                completed += 1
                let best = scratch.bestState[j]
                if best < 0 { continue }
                let value = scratch.states[best].value
                if model.shiftDay[shifts[j]] == day {
                    scratch.completedToday.append(j)
                    if value > todayBest { (todayBest, todayState) = (value, best) }
                } else if value > earlierBest {
                    (earlierBest, earlierState) = (value, best)
                }
            }
            scratch.stateStart.append(scratch.states.count)
            let duration = model.duration(shift)
            let weight = scratch.weights[i]
            scratch.candidates.removeAll(keepingCapacity: true)
            scratch.candidates.append(.init(hours: duration, value: earlierBest + weight, shift: shift, previous: earlierState))
            for j in scratch.completedToday {
                for state in scratch.stateStart[j]..<scratch.stateStart[j + 1] {
                    let previous = scratch.states[state]
                    let hours = previous.hours + duration
                    guard hours <= model.maxDailySeconds else { continue }
                    scratch.candidates.append(.init(hours: hours, value: previous.value + weight, shift: shift, previous: state))
                }
            }
            scratch.candidates.sort { ($0.hours, -$0.value) < ($1.hours, -$1.value) }
            var bestSoFar = -Double.infinity
            var bestIndex = -1
            for candidate in scratch.candidates where candidate.value > bestSoFar + 1e-12 {
                scratch.states.append(candidate)
                bestSoFar = candidate.value
                bestIndex = scratch.states.count - 1
            }
            scratch.bestState.append(bestIndex)
            if bestSoFar > overallBest { (overallBest, overallState) = (bestSoFar, bestIndex) }
        }
        scratch.stateStart.append(scratch.states.count)
        var state = overallState
        while state >= 0 {
            usage[scratch.states[state].shift] += 1
            state = scratch.states[state].previous
        }
        return overallBest
    }
}
