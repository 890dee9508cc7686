import Foundation

@testable import Matching

/// Re-checks a roster against the rules without using any of the
/// solver's rule code, so a bug there cannot hide itself.
enum IndependentChecker {
    static func placementCost(home: String, area: String) -> Int {
        let homeParts = home.split(separator: "-").map(String.init)
        let areaParts = area.split(separator: "-").map(String.init)
        func same(_ levels: Int) -> Bool {
            homeParts.count >= levels && areaParts.count >= levels
                && Array(homeParts.prefix(levels)) == Array(areaParts.prefix(levels))
        }
        if same(3) { return 0 }
        if same(2) { return 3 }
        if same(1) { return 10 }
        return 30
    }

    static func utcDay(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.dateComponents([.year, .month, .day], from: date)
    }

    /// Every rule violation found, as readable strings (empty when valid).
    static func violations(_ instance: RosterInstance, _ solution: RosterSolution) -> [String] {
        var problems: [String] = []
        let volunteers = Dictionary(uniqueKeysWithValues: instance.volunteers.map { ($0.id, $0) })
        let shifts = Dictionary(uniqueKeysWithValues: instance.shifts.map { ($0.id, $0) })
        let rest = instance.rules.minRestHours * 3600
        let maxDaily = instance.rules.maxHoursPerDay * 3600

        var seenPairs = Set<String>()
        var perShift: [String: Int] = [:]
        var perVolunteer: [String: [Shift]] = [:]
        var objective = 0
        for assignment in solution.assignments {
            guard let volunteer = volunteers[assignment.volunteerId], let shift = shifts[assignment.shiftId] else {
                problems.append("unknown ids in \(assignment)")
                continue
            }
            if !seenPairs.insert("\(shift.id)|\(volunteer.id)").inserted {
                problems.append("rule 7: \(volunteer.id) twice on \(shift.id)")
            }
            perShift[shift.id, default: 0] += 1
            perVolunteer[volunteer.id, default: []].append(shift)
            if !volunteer.availability.contains(where: { $0.start <= shift.start && shift.end <= $0.end }) {
                problems.append("rule 1: \(volunteer.id) not available for \(shift.id)")
            }
            if !Set(shift.requiredSkills).isSubset(of: Set(volunteer.skills)) {
                problems.append("rule 2: \(volunteer.id) lacks skills for \(shift.id)")
            }
            let homeDistrict = volunteer.home.split(separator: "-").first
            let shiftDistrict = shift.area.split(separator: "-").first
            if !shift.anyDistrict && homeDistrict != shiftDistrict {
                problems.append("rule 6: \(volunteer.id) from another district on \(shift.id)")
            }
            let cost = placementCost(home: volunteer.home, area: shift.area)
            if cost != assignment.cost {
                problems.append("cost of \(volunteer.id) on \(shift.id) is \(cost), reported \(assignment.cost)")
            }
            objective += cost
        }
        for (volunteerID, assigned) in perVolunteer {
            let ordered = assigned.sorted { $0.start < $1.start }
            for (index, first) in ordered.enumerated() {
                for second in ordered[(index + 1)...] {
                    if second.start < first.end {
                        problems.append("rule 3: \(volunteerID) on overlapping \(first.id) and \(second.id)")
                    } else if second.start.timeIntervalSince(first.end) < rest {
                        problems.append("rule 5: \(volunteerID) rests too little between \(first.id) and \(second.id)")
                    }
                }
            }
            var hours: [DateComponents: TimeInterval] = [:]
            for shift in assigned {
                hours[utcDay(shift.start), default: 0] += shift.end.timeIntervalSince(shift.start)
            }
            for (day, total) in hours where total > maxDaily + 0.5 {
                problems.append("rule 4: \(volunteerID) works \(total / 3600) h on \(day)")
            }
        }
        var unfilledByShift: [String: Int] = [:]
        for entry in solution.unfilled {
            unfilledByShift[entry.shiftId, default: 0] += entry.count
            if entry.reason.isEmpty { problems.append("empty reason for \(entry.shiftId)") }
        }
        var totalSlots = 0
        for shift in instance.shifts {
            let filled = perShift[shift.id, default: 0]
            totalSlots += shift.slots
            if filled > shift.slots { problems.append("\(shift.id) has \(filled) people for \(shift.slots) slots") }
            let empty = shift.slots - filled
            if unfilledByShift[shift.id, default: 0] != max(0, empty) {
                problems.append("\(shift.id): \(empty) empty seats, reported \(unfilledByShift[shift.id, default: 0])")
            }
            objective += max(0, empty) * 100
        }
        if objective != solution.objective {
            problems.append("objective recomputed as \(objective), reported \(solution.objective)")
        }
        if solution.lowerBound > solution.objective {
            problems.append("lower bound \(solution.lowerBound) exceeds objective \(solution.objective)")
        }
        if solution.totalSlots != totalSlots || solution.filledSlots != solution.assignments.count {
            problems.append("slot counts inconsistent")
        }
        return problems
    }
}
