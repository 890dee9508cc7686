import Foundation

/// The instance compiled into integer form for the algorithms.
///
/// Strings and dates are convenient at the boundary but slow and ambiguous in
/// inner loops, so they are interned once: times become whole seconds since
/// 1970 (UTC), areas and skills become small integers, and the volunteers who
/// pass every single-shift hard rule are listed per shift (sorted by cost, then
/// by input order so that results are deterministic).
struct RosterModel: Sendable {
    let shiftCount: Int
    let volunteerCount: Int

    let shiftStart: [Int]
    let shiftEnd: [Int]
    /// UTC day number (days since 1970-01-01) of the shift start; daily hours
    /// are charged to this day.
    let shiftDay: [Int]
    let shiftSlots: [Int]
    let restSeconds: Int
    let maxDailySeconds: Int

    let shiftCommunity: [Int]
    let shiftStreet: [Int]
    let shiftDistrict: [Int]
    let shiftAnyDistrict: [Bool]
    let volunteerCommunity: [Int]
    let volunteerStreet: [Int]
    let volunteerDistrict: [Int]

    /// Candidate lists: `candidateVolunteer[candidateStart[s]..<candidateStart[s+1]]`
    /// are the volunteers allowed on shift `s` by rules (1), (2), (4) for a
    /// single shift and (6), cheapest first.
    let candidateStart: [Int]
    let candidateVolunteer: [Int32]
    let candidateCost: [Int32]

    /// The transpose: shifts each volunteer may take, in shift order.
    let eligibleStart: [Int]
    let eligibleShift: [Int32]

    var totalSlots: Int { shiftSlots.reduce(0, +) }

    func candidates(of shift: Int) -> Range<Int> {
        candidateStart[shift]..<candidateStart[shift + 1]
    }

    func eligible(of volunteer: Int) -> Range<Int> {
        eligibleStart[volunteer]..<eligibleStart[volunteer + 1]
    }

    /// Cost of a placement known to be allowed by the district rule.
    func cost(shift: Int, volunteer: Int) -> Int {
        if shiftCommunity[shift] >= 0 && shiftCommunity[shift] == volunteerCommunity[volunteer] {
            return PlacementCost.sameCommunity
        }
        if shiftStreet[shift] >= 0 && shiftStreet[shift] == volunteerStreet[volunteer] {
            return PlacementCost.sameStreet
        }
        if shiftDistrict[shift] >= 0 && shiftDistrict[shift] == volunteerDistrict[volunteer] {
            return PlacementCost.sameDistrict
        }
        return PlacementCost.acrossDistricts
    }

    init(_ instance: RosterInstance) {
        let shifts = instance.shifts
        let volunteers = instance.volunteers
        shiftCount = shifts.count
        volunteerCount = volunteers.count

        func seconds(_ date: Date) -> Int {
            Int((date.timeIntervalSince1970).rounded())
        }
        func floorDivide(_ value: Int, _ divisor: Int) -> Int {
            value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
        }
        restSeconds = Int((instance.rules.minRestHours * 3600).rounded())
        maxDailySeconds = Int((instance.rules.maxHoursPerDay * 3600).rounded())

        let starts = shifts.map { seconds($0.start) }
        let ends = shifts.map { seconds($0.end) }
        shiftStart = starts
        shiftEnd = ends
        shiftDay = starts.map { floorDivide($0, 86_400) }
        shiftSlots = shifts.map { max(0, $0.slots) }
        shiftAnyDistrict = shifts.map(\.anyDistrict)

        // Intern area levels. Ids are assigned in input order, so they are
        // deterministic; the dictionaries are only ever looked up.
        var areaIDs: [Substring: Int] = [:]
        func intern(_ level: Substring?) -> Int {
            guard let level else { return -1 }
            if let id = areaIDs[level] { return id }
            let id = areaIDs.count
            areaIDs[level] = id
            return id
        }
        let shiftAreas = shifts.map { RosterArea($0.area) }
        let homes = volunteers.map { RosterArea($0.home) }
        shiftCommunity = shiftAreas.map { intern($0.community) }
        shiftStreet = shiftAreas.map { intern($0.street) }
        shiftDistrict = shiftAreas.map { intern($0.district) }
        volunteerCommunity = homes.map { intern($0.community) }
        volunteerStreet = homes.map { intern($0.street) }
        volunteerDistrict = homes.map { intern($0.district) }

        // Only skills some shift requires matter; intern those as bit positions.
        var skillBits: [String: Int] = [:]
        for shift in shifts {
            for skill in shift.requiredSkills where skillBits[skill] == nil {
                skillBits[skill] = skillBits.count
            }
        }
        let words = max(1, (skillBits.count + 63) / 64)
        func mask(_ skills: [String]) -> [UInt64] {
            var result = [UInt64](repeating: 0, count: words)
            for skill in skills {
                if let bit = skillBits[skill] { result[bit / 64] |= 1 << UInt64(bit % 64) }
            }
            return result
        }
        let requiredMasks = shifts.map { mask($0.requiredSkills) }
        let volunteerMasks = volunteers.map { mask($0.skills) }

        var windowOffsets = [0]
        var windowStarts: [Int] = []
        var windowEnds: [Int] = []
        for volunteer in volunteers {
            for window in volunteer.availability {
                windowStarts.append(seconds(window.start))
                windowEnds.append(seconds(window.end))
            }
            windowOffsets.append(windowStarts.count)
        }

        var byDistrict: [Int: [Int32]] = [:]
        for volunteer in 0..<volunteers.count {
            byDistrict[volunteerDistrict[volunteer], default: []].append(Int32(volunteer))
        }
        let everyone = (0..<volunteers.count).map { Int32($0) }

        var candidateStart = [0]
        var candidateVolunteer: [Int32] = []
        var candidateCost: [Int32] = []
        var buckets: [[Int32]] = Array(repeating: [], count: 4)
        var eligibleCount = [Int](repeating: 0, count: volunteers.count + 1)
        let maxDaily = maxDailySeconds
        for shift in 0..<shifts.count {
            let start = starts[shift]
            let end = ends[shift]
            let needsSkills = requiredMasks[shift].contains { $0 != 0 }
            if end - start <= maxDaily {
                let pool: [Int32]
                if shiftAnyDistrict[shift] {
                    pool = everyone
                } else if shiftDistrict[shift] >= 0 {
                    pool = byDistrict[shiftDistrict[shift]] ?? []
                } else {
                    pool = []
                }
                for index in buckets.indices { buckets[index].removeAll(keepingCapacity: true) }
                for volunteer32 in pool {
                    let volunteer = Int(volunteer32)
                    var covered = false
                    for window in windowOffsets[volunteer]..<windowOffsets[volunteer + 1]
                    where windowStarts[window] <= start && end <= windowEnds[window] {
                        covered = true
                        break
                    }
                    guard covered else { continue }
                    if needsSkills {
                        let have = volunteerMasks[volunteer]
                        let need = requiredMasks[shift]
                        var ok = true
                        for word in 0..<words where have[word] & need[word] != need[word] {
                            ok = false
                            break
                        }
                        guard ok else { continue }
                    }
                    let tier: Int
                    switch Self.tierCost(
                        shiftCommunity[shift], shiftStreet[shift], shiftDistrict[shift],
                        volunteerCommunity[volunteer], volunteerStreet[volunteer], volunteerDistrict[volunteer]
                    ) {
                    case PlacementCost.sameCommunity: tier = 0
                    case PlacementCost.sameStreet: tier = 1
                    case PlacementCost.sameDistrict: tier = 2
                    default: tier = 3
                    }
                    buckets[tier].append(volunteer32)
                }
                let tierCosts = [
                    PlacementCost.sameCommunity, PlacementCost.sameStreet,
                    PlacementCost.sameDistrict, PlacementCost.acrossDistricts,
                ]
                for tier in 0..<4 {
                    for volunteer in buckets[tier] {
                        candidateVolunteer.append(volunteer)
                        candidateCost.append(Int32(tierCosts[tier]))
                        eligibleCount[Int(volunteer) + 1] += 1
                    }
                }
            }
            candidateStart.append(candidateVolunteer.count)
        }
        self.candidateStart = candidateStart
        self.candidateVolunteer = candidateVolunteer
        self.candidateCost = candidateCost

        for volunteer in 0..<volunteers.count {
            eligibleCount[volunteer + 1] += eligibleCount[volunteer]
        }
        var fill = eligibleCount
        var eligibleShift = [Int32](repeating: 0, count: candidateVolunteer.count)
        for shift in 0..<shifts.count {
            for index in candidateStart[shift]..<candidateStart[shift + 1] {
                let volunteer = Int(candidateVolunteer[index])
                eligibleShift[fill[volunteer]] = Int32(shift)
                fill[volunteer] += 1
            }
        }
        eligibleStart = eligibleCount
        self.eligibleShift = eligibleShift
    }

    private static func tierCost(
        _ shiftCommunity: Int, _ shiftStreet: Int, _ shiftDistrict: Int,
        _ homeCommunity: Int, _ homeStreet: Int, _ homeDistrict: Int
    ) -> Int {
        if shiftCommunity >= 0 && shiftCommunity == homeCommunity { return PlacementCost.sameCommunity }
        if shiftStreet >= 0 && shiftStreet == homeStreet { return PlacementCost.sameStreet }
        if shiftDistrict >= 0 && shiftDistrict == homeDistrict { return PlacementCost.sameDistrict }
        return PlacementCost.acrossDistricts
    }
}
