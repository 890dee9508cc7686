import Foundation

@testable import Matching

/// Exhaustive optimum for tiny instances, written independently of the
/// solver: it enumerates every set of volunteers for every shift and keeps
/// the cheapest roster that passes all rules.
enum BruteForce {
    static func optimum(_ instance: RosterInstance) -> Int {
        let rest = instance.rules.minRestHours * 3600
        let maxDaily = instance.rules.maxHoursPerDay * 3600
        let shifts = instance.shifts
        let volunteers = instance.volunteers

        func allowedAlone(_ volunteer: Volunteer, _ shift: Shift) -> Bool {
            let covered = volunteer.availability.contains { $0.start <= shift.start && shift.end <= $0.end }
            let skilled = Set(shift.requiredSkills).isSubset(of: Set(volunteer.skills))
            let district =
                shift.anyDistrict
                || volunteer.home.split(separator: "-").first == shift.area.split(separator: "-").first
            return covered && skilled && district
        }

        func legal(_ assigned: [Shift]) -> Bool {
            for (index, first) in assigned.enumerated() {
                for second in assigned[(index + 1)...] {
                    let (early, late) = first.start <= second.start ? (first, second) : (second, first)
                    if late.start.timeIntervalSince(early.end) < rest { return false }
                }
            }
            var hours: [DateComponents: TimeInterval] = [:]
            for shift in assigned {
                hours[IndependentChecker.utcDay(shift.start), default: 0] += shift.end.timeIntervalSince(shift.start)
            }
            return hours.values.allSatisfy { $0 <= maxDaily + 0.5 }
        }

        var schedule = [[Shift]](repeating: [], count: volunteers.count)
        var best = Int.max

        func visit(_ shiftIndex: Int, _ cost: Int) {
            if shiftIndex == shifts.count {
                best = min(best, cost)
                return
            }
            let shift = shifts[shiftIndex]
            let allowed = volunteers.indices.filter { allowedAlone(volunteers[$0], shift) }
            // Every subset of allowed volunteers with at most `slots` members.
            for mask in 0..<(1 << allowed.count) {
                let chosen = allowed.indices.filter { mask & (1 << $0) != 0 }.map { allowed[$0] }
                if chosen.count > shift.slots { continue }
                if !chosen.allSatisfy({ legal(schedule[$0] + [shift]) }) { continue }
                var added = cost + (shift.slots - chosen.count) * 100
                for volunteer in chosen {
                    added += IndependentChecker.placementCost(home: volunteers[volunteer].home, area: shift.area)
                    schedule[volunteer].append(shift)
                }
                visit(shiftIndex + 1, added)
                for volunteer in chosen { schedule[volunteer].removeLast() }
            }
        }
        visit(0, 0)
        return best
    }
}

/// Small instances where the schedule rules bind often: overlapping and
/// back-to-back shifts, tight daily limits, skills and two districts.
enum SmallInstances {
    static let origin = Date(timeIntervalSince1970: 1_775_779_200)  // 2026-04-10T00:00:00Z

    static func make(seed: UInt64) -> RosterInstance {
        var random = SeededGenerator(seed: seed)
        let communities = ["100001-001-001", "100001-001-002", "100001-002-001", "100001-002-001-03", "100002-001-001"]
        func hour(_ value: Int) -> Date { origin.addingTimeInterval(Double(value) * 3600) }
        let volunteerCount = random.between(1, 6)
        var volunteers: [Volunteer] = []
        for index in 0..<volunteerCount {
            var windows: [AvailabilityWindow] = []
            for _ in 0..<random.between(1, 2) {
                let start = random.between(0, 30)
                windows.append(AvailabilityWindow(start: hour(start), end: hour(start + random.between(4, 24))))
            }
            var skills: [String] = []
            if random.chance(0.5) { skills.append("medical") }
            if random.chance(0.3) { skills.append("driving") }
            volunteers.append(
                Volunteer(
                    id: "v\(index)", home: communities[random.below(communities.count)], skills: skills, availability: windows
                ))
        }
        var shifts: [Shift] = []
        var slots = 0
        let target = random.between(1, 8)
        while slots < target {
            let start = random.between(0, 36)
            let length = random.weighted([(2, 2), (4, 4), (6, 2), (8, 1), (9, 1)])
            let count = min(random.between(1, 3), target - slots)
            slots += count
            var required: [String] = []
            if random.chance(0.3) { required.append(random.chance(0.7) ? "medical" : "driving") }
            let area = communities[random.below(communities.count - 1)]
            shifts.append(
                Shift(
                    id: "s\(shifts.count)", postId: "p\(shifts.count)", area: area, role: "r",
                    requiredSkills: required, start: hour(start), end: hour(start + length),
                    slots: count, anyDistrict: random.chance(0.3)
                ))
        }
        let rules = RosterRules(
            maxHoursPerDay: Double(random.weighted([(6, 1), (8, 3), (10, 1)])),
            minRestHours: Double(random.weighted([(0, 1), (4, 1), (8, 3)]))
        )
        return RosterInstance(volunteers: volunteers, shifts: shifts, rules: rules)
    }
}
