import Foundation

/// Explains, in the coordinator's terms, why seats of a shift stay empty.
///
/// The checks are run from the most fundamental cause to the most
/// circumstantial one, so the reason points at the change that would help:
/// nobody in the district, nobody with the skill, a shift too long for anyone,
/// nobody free at that time, or everyone suitable already busy.
struct UnfilledExplainer {
    let instance: RosterInstance
    let model: RosterModel
    private var skillSets: [Set<String>]?

    init(instance: RosterInstance, model: RosterModel) {
        self.instance = instance
        self.model = model
    }

    mutating func explain(shift index: Int, schedules: VolunteerSchedules) -> (UnfilledCause, String) {
        let shift = instance.shifts[index]
        let area = RosterArea(shift.area)
        let district = area.district.map(String.init) ?? shift.area
        let place = shift.anyDistrict ? "in any district" : "in district \(district)"

        let candidates = model.candidates(of: index)
        if !candidates.isEmpty {
            let free = candidates.filter {
                let volunteer = Int(model.candidateVolunteer[$0])
                return !schedules.isOn(volunteer, index) && schedules.canAdd(volunteer, index, model: model)
            }.count
            if free > 0 {
                return (
                    .allAtLimit,
                    "left empty although \(free) eligible volunteer(s) could still take it; every such placement would make the roster worse elsewhere"
                )
            }
            let onShift = candidates.filter { schedules.isOn(Int(model.candidateVolunteer[$0]), index) }.count
            let busy = candidates.count - onShift
            let skills =
                shift.requiredSkills.isEmpty
                ? "" : " with \(shift.requiredSkills.count == 1 ? "skill" : "skills") \(shift.requiredSkills.joined(separator: ", "))"
            if busy == 0 {
                return (
                    .allAtLimit,
                    "only \(onShift) eligible volunteer(s)\(skills) \(place) are available at that time, and all are already on this shift"
                )
            }
            return (
                .allAtLimit,
                "all eligible volunteers already at their limit: of the \(candidates.count) volunteer(s)\(skills) \(place) available at that time, \(onShift) are on this shift and \(busy) are busy with overlapping shifts, rest time (\(Self.hours(instance.rules.minRestHours)) h) or the daily maximum (\(Self.hours(instance.rules.maxHoursPerDay)) h)"
            )
        }

        let pool = (0..<model.volunteerCount).filter {
            shift.anyDistrict || (model.shiftDistrict[index] >= 0 && model.volunteerDistrict[$0] == model.shiftDistrict[index])
        }
        if pool.isEmpty {
            return (.noVolunteerInDistrict, "no volunteer lives in district \(district) and the shift is not open to other districts")
        }
        let required = Array(Set(shift.requiredSkills)).sorted()
        var skilled = pool
        if !required.isEmpty {
            let sets = skillSets ?? instance.volunteers.map { Set($0.skills) }
            skillSets = sets
            skilled = pool.filter { required.allSatisfy(sets[$0].contains) }
            if skilled.isEmpty {
                let missing = required.filter { skill in !pool.contains { sets[$0].contains(skill) } }
                if missing.isEmpty {
                    return (
                        .missingSkill, "no eligible volunteer \(place) has all of the skills \(required.joined(separator: ", ")) together"
                    )
                }
                let noun = missing.count == 1 ? "skill" : "skills"
                return (.missingSkill, "no eligible volunteer \(place) has \(noun) \(missing.joined(separator: ", "))")
            }
        }
        if model.duration(index) > model.maxDailySeconds {
            return (
                .longerThanDailyLimit,
                "the shift lasts \(Self.hours(Double(model.duration(index)) / 3600)) h, more than maxHoursPerDay (\(Self.hours(instance.rules.maxHoursPerDay)) h)"
            )
        }
        let who =
            required.isEmpty
            ? "volunteer" : "volunteer with \(required.count == 1 ? "skill" : "skills") \(required.joined(separator: ", "))"
        return (
            .noAvailability,
            "no \(who) available \(place) at that time (\(ISO8601Timestamp.format(shift.start)) to \(ISO8601Timestamp.format(shift.end)))"
        )
    }

    private static func hours(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }
}
