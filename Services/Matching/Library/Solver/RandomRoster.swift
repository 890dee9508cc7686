import Foundation

extension RosterInstance {
    /// A realistic synthetic instance for benchmarks and tests.
    ///
    /// Real rosters are confidential, yet solver speed and quality must be
    /// measured on something that looks like them: one city district of
    /// 10 streets × 8 communities (homes and posts partly in compounds), two
    /// neighbouring districts supplying ~3 % of volunteers, shifts in the
    /// bands 07–11, 11–15, 15–19, 19–23 and some 23–07 nights over three days
    /// starting 2026-04-10, 1–5 slots each, a required skill on ~20 % of
    /// shifts, ~10 % of shifts open to any district, and volunteers with
    /// 1–3 availability windows mostly aligned to the bands. The same seed
    /// always gives the same instance.
    public static func random(volunteers: Int, shifts: Int, seed: UInt64) -> RosterInstance {
        var builder = RandomRosterBuilder(seed: seed)
        return builder.build(volunteers: volunteers, shiftCount: shifts, slotTarget: nil)
    }

    /// Like `random(volunteers:shifts:seed:)` but with as many shifts as it
    /// takes to reach exactly `slots` seats in total, which is how benchmark
    /// sizes are stated ("2,000 slots × 10,000 volunteers").
    public static func random(volunteers: Int, slots: Int, seed: UInt64) -> RosterInstance {
        random(volunteers: volunteers, slots: slots, seed: seed, shape: .city)
    }

    /// Like `random(volunteers:slots:seed:)` with the timetable of `shape`;
    /// `.city` gives exactly the instance of that function.
    public static func random(volunteers: Int, slots: Int, seed: UInt64, shape: RosterShape) -> RosterInstance {
        var builder = RandomRosterBuilder(seed: seed)
        switch shape {
        case .city:
            return builder.build(volunteers: volunteers, shiftCount: nil, slotTarget: slots)
        case .sameHourCity:
            return builder.buildSameHour(volunteers: volunteers, slotTarget: slots)
        }
    }
}

/// The timetable of a synthetic roster (`RosterInstance.random`).
///
/// The solver's work depends on how many shifts start at the same moment
/// (the preference pass swaps volunteers between such shifts), so benchmarks
/// must cover both the spread-out week and the testing day when every site of
/// the city opens at once.
public enum RosterShape: String, Sendable, Hashable, CaseIterable {
    /// Shifts in daily bands over three days: a few hundred shifts per start.
    case city
    /// A city-wide testing day: every sampling site's shifts run 08:00–12:00
    /// UTC on one day, so all shifts start at the same moment.
    case sameHourCity = "same-hour"
}

private struct RandomRosterBuilder {
    var random: SeededGenerator

    static let origin = Date(timeIntervalSince1970: 1_775_779_200)  // 2026-04-10T00:00:00Z
    static let days = 3
    static let mainDistrict = "320505"
    static let neighbours = ["320504", "320506"]
    static let skills: [(String, Double)] = [
        ("medical", 0.10), ("driving", 0.15), ("translation", 0.05), ("psychology", 0.05), ("logistics", 0.12),
    ]
    static let roles = ["swab-sampling", "registration", "order-keeping", "delivery", "disinfection", "guidance"]

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    static func community(_ district: String, street: Int, community: Int) -> String {
        "\(district)-" + pad(street, 3) + "-" + pad(community, 3)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static func time(day: Int, hour: Int) -> Date {
        origin.addingTimeInterval(Double(day * 24 + hour) * 3600)
    }

    mutating func mainCommunity() -> String {
        Self.community(Self.mainDistrict, street: random.between(1, 10), community: random.between(1, 8))
    }

    mutating func withCompound(_ community: String, probability: Double) -> String {
        random.chance(probability) ? community + "-" + Self.pad(random.between(1, 6), 2) : community
    }

    mutating func build(volunteers volunteerCount: Int, shiftCount: Int?, slotTarget: Int?) -> RosterInstance {
        var shifts: [Shift] = []
        var slotsSoFar = 0
        while true {
            if let shiftCount, shifts.count >= shiftCount { break }
            if let slotTarget, slotsSoFar >= slotTarget { break }
            if shiftCount == nil && slotTarget == nil { break }
            var shift = makeShift(index: shifts.count)
            if let slotTarget { shift.slots = min(shift.slots, slotTarget - slotsSoFar) }
            slotsSoFar += shift.slots
            shifts.append(shift)
        }
        var volunteers: [Volunteer] = []
        volunteers.reserveCapacity(volunteerCount)
        for index in 0..<volunteerCount {
            volunteers.append(makeVolunteer(index: index))
        }
        return RosterInstance(volunteers: volunteers, shifts: shifts, rules: RosterRules())
    }

    /// Sampling sites (a community or a compound) with a few posts each, all
    /// open 08:00–12:00 of the first day; most volunteers are called for that
    /// morning, the rest are available at other hours only.
    mutating func buildSameHour(volunteers volunteerCount: Int, slotTarget: Int) -> RosterInstance {
        var shifts: [Shift] = []
        var slotsSoFar = 0
        while slotsSoFar < slotTarget {
            let area = withCompound(mainCommunity(), probability: 0.4)
            for role in Self.siteRoles {
                if slotsSoFar >= slotTarget { break }
                if role != "swab-sampling" && !random.chance(0.6) { continue }
                var shift = makeSiteShift(index: shifts.count, area: area, role: role)
                shift.slots = min(shift.slots, slotTarget - slotsSoFar)
                slotsSoFar += shift.slots
                shifts.append(shift)
            }
        }
        var volunteers: [Volunteer] = []
        volunteers.reserveCapacity(volunteerCount)
        for index in 0..<volunteerCount {
            volunteers.append(makeVolunteer(index: index, testingDay: true))
        }
        return RosterInstance(volunteers: volunteers, shifts: shifts, rules: RosterRules())
    }

    static let siteRoles = ["swab-sampling", "registration", "order-keeping", "guidance", "disinfection"]

    /// Swabbing needs a medical volunteer at most sites; the other posts
    /// occasionally ask for a skill, as in the city shape.
    mutating func makeSiteShift(index: Int, area: String, role: String) -> Shift {
        var required: [String] = []
        if role == "swab-sampling" {
            if random.chance(0.6) { required.append("medical") }
        } else if random.chance(0.1) {
            required.append(random.weighted([("driving", 30), ("translation", 20), ("psychology", 20), ("logistics", 30)]))
        }
        return Shift(
            id: "S\(index + 1)",
            postId: "P-\(area)-\(role)",
            area: area,
            role: role,
            requiredSkills: required,
            start: Self.time(day: 0, hour: 8),
            end: Self.time(day: 0, hour: 12),
            slots: random.between(1, 5),
            anyDistrict: random.chance(0.1)
        )
    }

    /// One or two windows on the testing day: ~30 % start at 06–08 and
    /// usually last past noon, the others fall anywhere in the day, so about
    /// a third of the volunteers can take the morning shifts.
    mutating func makeTestingDayWindows() -> [AvailabilityWindow] {
        var windows: [AvailabilityWindow] = []
        for _ in 0..<random.between(1, 2) {
            let startHour: Int
            let length: Int
            if random.chance(0.3) {
                startHour = random.between(6, 8)
                length = random.weighted([(4, 1), (6, 2), (8, 3), (12, 2)])
            } else {
                startHour = random.between(6, 20)
                length = random.between(3, 8)
            }
            windows.append(
                AvailabilityWindow(start: Self.time(day: 0, hour: startHour), end: Self.time(day: 0, hour: startHour + length)))
        }
        return windows
    }

    mutating func makeShift(index: Int) -> Shift {
        let day = random.below(Self.days)
        let (startHour, length): (Int, Int) = random.weighted([
            ((7, 4), 26), ((11, 4), 24), ((15, 4), 24), ((19, 4), 18), ((23, 8), 8),
        ])
        let area = withCompound(mainCommunity(), probability: 0.4)
        let role = Self.roles[random.below(Self.roles.count)]
        var required: [String] = []
        if random.chance(0.2) {
            required.append(
                random.weighted([("medical", 50), ("driving", 20), ("translation", 10), ("psychology", 10), ("logistics", 10)]))
            if random.chance(0.15) {
                let second = random.weighted([("driving", 40), ("logistics", 40), ("translation", 20)])
                if second != required[0] { required.append(second) }
            }
        }
        return Shift(
            id: "S\(index + 1)",
            postId: "P-\(area)-\(role)",
            area: area,
            role: role,
            requiredSkills: required,
            start: Self.time(day: day, hour: startHour),
            end: Self.time(day: day, hour: startHour + length),
            slots: random.between(1, 5),
            anyDistrict: random.chance(0.1)
        )
    }

    mutating func makeVolunteer(index: Int, testingDay: Bool = false) -> Volunteer {
        let home: String
        if random.chance(0.03) {
            let district = Self.neighbours[random.below(Self.neighbours.count)]
            home = withCompound(Self.community(district, street: random.between(1, 4), community: random.between(1, 5)), probability: 0.5)
        } else {
            home = withCompound(mainCommunity(), probability: 0.5)
        }
        var skills: [String] = []
        for (skill, probability) in Self.skills where random.chance(probability) {
            skills.append(skill)
        }
        // A team is drawn from one community; on a testing day the street
        // office sends its units, so a team spans the street's communities.
        let team: String? = random.chance(0.3) ? "T-\(home.prefix(testingDay ? 10 : 14))-\(random.below(3))" : nil
        if testingDay {
            return Volunteer(id: "V\(index + 1)", home: home, skills: skills, team: team, availability: makeTestingDayWindows())
        }
        var windows: [AvailabilityWindow] = []
        for _ in 0..<random.between(1, 3) {
            let day = random.below(Self.days)
            let startHour: Int
            let length: Int
            if random.chance(0.1) {
                (startHour, length) = (23, 8)
            } else if random.chance(0.8) {
                startHour = random.weighted([(7, 3), (11, 2), (15, 2), (19, 1)])
                length = random.weighted([(4, 3), (8, 4), (12, 2), (16, 1)])
            } else {
                startHour = random.between(6, 20)
                length = random.between(3, 10)
            }
            windows.append(
                AvailabilityWindow(start: Self.time(day: day, hour: startHour), end: Self.time(day: day, hour: startHour + length)))
        }
        return Volunteer(id: "V\(index + 1)", home: home, skills: skills, team: team, availability: windows)
    }
}
