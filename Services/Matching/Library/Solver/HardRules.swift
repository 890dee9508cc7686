/// The rules that involve more than one shift of the same volunteer.
///
/// Single-shift rules (availability, skills, district, a shift longer than a
/// day's allowance) are settled once when candidate lists are built; what is
/// left must be re-checked whenever a volunteer's set of shifts changes:
/// (3) no overlap, (4) daily hours, (5) minimum rest. Rule (5) subsumes (3):
/// two shifts are compatible only when the later one starts at least
/// `restSeconds` after the earlier one ends.
extension RosterModel {
    /// True when one volunteer may not work both shifts (rules 3 and 5).
    /// A shift always conflicts with itself, which also enforces rule (7).
    @inline(__always)
    func conflicts(_ a: Int, _ b: Int) -> Bool {
        let (first, second) = shiftStart[a] <= shiftStart[b] ? (a, b) : (b, a)
        return shiftStart[second] < shiftEnd[first] + restSeconds
    }

    @inline(__always)
    func duration(_ shift: Int) -> Int {
        shiftEnd[shift] - shiftStart[shift]
    }
}

/// Who currently works which shifts, with the checks needed to change it.
///
/// Kept separate from the immutable model because the repair and improvement
/// phases edit it constantly, and every edit must keep all hard rules true.
struct VolunteerSchedules: Sendable {
    private(set) var shiftsOf: [[Int32]]
    private(set) var crew: [[Int32]]

    init(volunteerCount: Int, shiftCount: Int) {
        shiftsOf = Array(repeating: [], count: volunteerCount)
        crew = Array(repeating: [], count: shiftCount)
    }

    func isOn(_ volunteer: Int, _ shift: Int) -> Bool {
        shiftsOf[volunteer].contains(Int32(shift))
    }

    func filled(_ shift: Int) -> Int { crew[shift].count }

    mutating func assign(_ volunteer: Int, to shift: Int) {
        shiftsOf[volunteer].append(Int32(shift))
        crew[shift].append(Int32(volunteer))
    }

    mutating func unassign(_ volunteer: Int, from shift: Int) {
        if let index = shiftsOf[volunteer].firstIndex(of: Int32(shift)) {
            shiftsOf[volunteer].remove(at: index)
        }
        if let index = crew[shift].firstIndex(of: Int32(volunteer)) {
            crew[shift].remove(at: index)
        }
    }

    /// Whether `volunteer` may additionally take `shift`, optionally after
    /// giving up `removing` (pass -1 for none). Candidate-list rules are
    /// assumed to hold already.
    func canAdd(_ volunteer: Int, _ shift: Int, removing: Int = -1, model: RosterModel) -> Bool {
        let day = model.shiftDay[shift]
        var hours = model.duration(shift)
        for held32 in shiftsOf[volunteer] {
            let held = Int(held32)
            if held == removing { continue }
            if model.conflicts(held, shift) { return false }
            if model.shiftDay[held] == day { hours += model.duration(held) }
        }
        return hours <= model.maxDailySeconds
    }

    /// The shifts `volunteer` would have to give up so that `shift` fits, when
    /// giving up a single one is enough; empty when `shift` already fits or
    /// when more than one would have to go.
    func singleBlockers(_ volunteer: Int, _ shift: Int, model: RosterModel) -> [Int] {
        var conflicting = -1
        var conflictCount = 0
        for held32 in shiftsOf[volunteer] where model.conflicts(Int(held32), shift) {
            conflicting = Int(held32)
            conflictCount += 1
        }
        if conflictCount > 1 { return [] }
        if conflictCount == 1 {
            return canAdd(volunteer, shift, removing: conflicting, model: model) ? [conflicting] : []
        }
        if canAdd(volunteer, shift, model: model) { return [] }
        // Only the daily allowance is exceeded: any same-day shift may be the one to drop.
        let day = model.shiftDay[shift]
        return shiftsOf[volunteer].map(Int.init).filter {
            model.shiftDay[$0] == day && canAdd(volunteer, shift, removing: $0, model: model)
        }
    }

    /// Whether a whole set of shifts is a legal schedule for one volunteer.
    static func isFeasible(_ shifts: [Int], model: RosterModel) -> Bool {
        var hoursByDay: [Int: Int] = [:]
        for (index, shift) in shifts.enumerated() {
            for other in shifts[(index + 1)...] where model.conflicts(shift, other) {
                return false
            }
            hoursByDay[model.shiftDay[shift], default: 0] += model.duration(shift)
        }
        return hoursByDay.values.allSatisfy { $0 <= model.maxDailySeconds }
    }
}
