/// Tie-breaking preferences, applied after the primary objective is final.
///
/// The issue asks for three "soft" wishes that must never cost a filled seat
/// or a better locality match:
/// 1. members of one team work together at one site (整团作战);
/// 2. hours are spread fairly across volunteers;
/// 3. nobody stands the same night post on consecutive nights when someone
///    else could at the same price.
/// They are measured by `PreferenceScore` and improved by `PreferencePass`, a
/// local search whose moves keep every hard rule and the primary objective
/// exactly unchanged, so the roster stays as good (and as provably optimal)
/// as before the pass.

/// Relative weights of the three preferences in the secondary score.
///
/// The secondary score is
///
///     teamSplit · teamSplits + repeatedNightPost · repeatedNightPosts
///       + hoursSquared · hoursSpread
///
/// with `hoursSpread` = Σ over volunteers of (assigned hours)², in h². The
/// defaults rank team cohesion first, then rotation, then spreading: moving a
/// 4-hour shift from someone with 8 h to someone with 0 h lowers `hoursSpread`
/// by 32 h², which is worth less than one rotated night post (50) and less
/// than one reunited team pair (100).
public struct PreferenceWeights: Sendable, Hashable, Codable {
    /// Weight of one pair of same-team members split across sites.
    public var teamSplit: Int
    /// Weight of one volunteer standing the same night post on two consecutive nights.
    public var repeatedNightPost: Int
    /// Weight of one h² of `hoursSpread`.
    public var hoursSquared: Int

    public init(teamSplit: Int = 100, repeatedNightPost: Int = 50, hoursSquared: Int = 1) {
        self.teamSplit = teamSplit
        self.repeatedNightPost = repeatedNightPost
        self.hoursSquared = hoursSquared
    }
}

/// How well a roster meets the preferences; lower is better everywhere.
public struct PreferenceScore: Sendable, Hashable, Codable {
    /// Pairs of members of the same team who work shifts starting at the same
    /// instant at different sites (a site is a shift's area code, so several
    /// posts in one compound count as one site). A team of four split 2 + 2
    /// gives 4, split 3 + 1 gives 3, all together gives 0.
    public var teamSplits: Int
    /// Σ over volunteers of (hours assigned in this roster)², in h². For a fixed
    /// total of hours it is smallest when the hours are spread evenly.
    public var hoursSpread: Double
    /// Occurrences of one volunteer standing the same night post on two
    /// consecutive nights. A night shift starts at or after 19:00 UTC or before
    /// 06:00 UTC; it belongs to the night of the UTC date of (start − 6 h), so
    /// 23:00 on the 10th and 02:00 on the 11th are the same night (the 10th's).
    /// The post is the shift's `postId` (its area when the post id is empty).
    public var repeatedNightPosts: Int
    /// The weighted sum defined by `PreferenceWeights`, in h².
    public var weighted: Double

    public init(teamSplits: Int = 0, hoursSpread: Double = 0, repeatedNightPosts: Int = 0, weighted: Double = 0) {
        self.teamSplits = teamSplits
        self.hoursSpread = hoursSpread
        self.repeatedNightPosts = repeatedNightPosts
        self.weighted = weighted
    }
}

/// Improves the preference score of a roster without touching its price.
///
/// Two neighbourhoods, swept in input order until neither improves or the
/// round budget is spent:
/// - replace: a placed volunteer gives the seat to an eligible volunteer of
///   the same placement cost who can legally add the shift;
/// - swap: two volunteers on shifts that start at the same instant exchange
///   them, when the two placement costs sum to the same total and both new
///   schedules are legal. Only volunteers who are split from their team or
///   repeat a night post start a swap, and on day shifts of one length they
///   look for a partner only where a team involved stands
///   (`swapPartnerShifts`), which keeps the sweep cheap when a whole city's
///   sites open at the same moment.
/// A move is taken only when it lowers the weighted score (integers in s²),
/// so the search terminates; the best move per seat is taken, ties going to
/// the lowest volunteer index, so results are deterministic.
struct PreferencePass {
    static let nightStartSecond = 19 * 3600
    static let nightEndSecond = 6 * 3600

    let model: RosterModel
    let weights: PreferenceWeights

    /// Interned team of each volunteer, -1 for none.
    let volunteerTeam: [Int]
    /// Index of the shift's start instant among all distinct start instants.
    let shiftTime: [Int]
    let timeCount: Int
    /// Index of the shift's (site, start instant) group.
    let shiftGroup: [Int]
    let groupCount: Int
    /// Shifts per start instant, in input order.
    let timeShifts: [[Int]]
    /// Shifts per (site, start instant) group, in input order.
    let groupShifts: [[Int]]
    /// Whether all shifts of a start instant last equally long, so that no
    /// swap between them changes anyone's hours.
    let timeHasOneDuration: [Bool]
    let shiftNight: [Bool]
    let shiftPost: [Int]
    let shiftNightDate: [Int]

    /// Score weights in s² (the unit of the hours term).
    private let teamWeight: Int
    private let nightWeight: Int
    private let hoursWeight: Int

    private(set) var schedules: VolunteerSchedules
    /// Seconds assigned to each volunteer.
    private var seconds: [Int]
    /// Members of team T on duty at start instant t, key T · timeCount + t.
    private var teamAtTime: [Int: Int] = [:]
    /// Members of team T in group g, key T · groupCount + g.
    private var teamAtGroup: [Int: Int] = [:]
    /// Groups where team T has a member on duty at start instant t, key
    /// T · timeCount + t (unordered). The swap sweep looks only there.
    private var teamGroupsAtTime: [Int: [Int]] = [:]

    init(instance: RosterInstance, model: RosterModel, schedules: VolunteerSchedules, weights: PreferenceWeights) {
        self.model = model
        self.weights = weights
        self.schedules = schedules
        let hourSquared = 3600 * 3600
        teamWeight = weights.teamSplit * hourSquared
        nightWeight = weights.repeatedNightPost * hourSquared
        hoursWeight = weights.hoursSquared

        var teamIDs: [String: Int] = [:]
        volunteerTeam = instance.volunteers.map { volunteer in
            guard let team = volunteer.team else { return -1 }
            if let id = teamIDs[team] { return id }
            teamIDs[team] = teamIDs.count
            return teamIDs.count - 1
        }

        let starts = Array(Set(model.shiftStart)).sorted()
        var timeIndex: [Int: Int] = [:]
        for (index, start) in starts.enumerated() { timeIndex[start] = index }
        timeCount = starts.count
        shiftTime = model.shiftStart.map { timeIndex[$0] ?? 0 }
        var timeShifts = [[Int]](repeating: [], count: starts.count)
        for shift in 0..<model.shiftCount { timeShifts[shiftTime[shift]].append(shift) }
        self.timeShifts = timeShifts

        var siteIDs: [String: Int] = [:]
        var groupIDs: [Int: Int] = [:]
        var groups: [Int] = []
        for (shift, value) in instance.shifts.enumerated() {
            let site: Int
            if let id = siteIDs[value.area] {
                site = id
            } else {
                site = siteIDs.count
                siteIDs[value.area] = site
            }
            let key = site * max(1, starts.count) + shiftTime[shift]
            if let id = groupIDs[key] {
                groups.append(id)
            } else {
                groupIDs[key] = groupIDs.count
                groups.append(groupIDs.count - 1)
            }
        }
        shiftGroup = groups
        groupCount = groupIDs.count
        var groupShifts = [[Int]](repeating: [], count: groupIDs.count)
        for shift in 0..<model.shiftCount { groupShifts[groups[shift]].append(shift) }
        self.groupShifts = groupShifts
        timeHasOneDuration = timeShifts.map { shifts in
            shifts.allSatisfy { model.duration($0) == model.duration(shifts[0]) }
        }

        var postIDs: [String: Int] = [:]
        shiftPost = instance.shifts.map { shift in
            let key = shift.postId.isEmpty ? "@area " + shift.area : shift.postId
            if let id = postIDs[key] { return id }
            postIDs[key] = postIDs.count
            return postIDs.count - 1
        }
        func floorDivide(_ value: Int, _ divisor: Int) -> Int {
            value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
        }
        shiftNight = model.shiftStart.map { start in
            let second = start - floorDivide(start, 86_400) * 86_400
            return second >= Self.nightStartSecond || second < Self.nightEndSecond
        }
        shiftNightDate = model.shiftStart.map { floorDivide($0 - Self.nightEndSecond, 86_400) }

        seconds = Array(repeating: 0, count: model.volunteerCount)
        for shift in 0..<model.shiftCount {
            for volunteer32 in schedules.crew[shift] {
                let volunteer = Int(volunteer32)
                seconds[volunteer] += model.duration(shift)
                let team = volunteerTeam[volunteer]
                if team >= 0 {
                    teamAtTime[team * timeCount + shiftTime[shift], default: 0] += 1
                    teamAtGroup[team * groupCount + shiftGroup[shift], default: 0] += 1
                }
            }
        }
        for (key, count) in teamAtGroup where count > 0 {
            let team = key / groupCount
            let group = key % groupCount
            teamGroupsAtTime[team * timeCount + shiftTime[groupShifts[group][0]], default: []].append(group)
        }
    }

    // MARK: - Score

    /// The preference score of the current roster.
    func score() -> PreferenceScore {
        var splits = 0
        for count in teamAtTime.values { splits += count * (count - 1) / 2 }
        for count in teamAtGroup.values { splits -= count * (count - 1) / 2 }
        var squares = 0.0
        for value in seconds where value > 0 {
            let hours = Double(value) / 3600
            squares += hours * hours
        }
        var nights = 0
        for volunteer in 0..<model.volunteerCount {
            for held in schedules.shiftsOf[volunteer] where shiftNight[Int(held)] {
                nights += repeatedNights(volunteer, Int(held), excluding: Int(held))
            }
        }
        nights /= 2  // each consecutive pair was seen from both of its nights
        let weighted =
            Double(weights.teamSplit * splits + weights.repeatedNightPost * nights)
            + Double(weights.hoursSquared) * squares
        return PreferenceScore(teamSplits: splits, hoursSpread: squares, repeatedNightPosts: nights, weighted: weighted)
    }

    // MARK: - Search

    /// Sweeps both neighbourhoods until no move helps or `rounds` sweeps ran.
    mutating func run(rounds: Int) {
        for _ in 0..<max(0, rounds) {
            let replaced = replaceSweep()
            let swapped = swapSweep()
            if !replaced && !swapped { break }
        }
    }

    /// Night shifts of `volunteer` at the post of `shift` on the night before
    /// or after it, not counting `shift` and `excluding`.
    private func repeatedNights(_ volunteer: Int, _ shift: Int, excluding: Int) -> Int {
        guard shiftNight[shift] else { return 0 }
        let post = shiftPost[shift]
        let date = shiftNightDate[shift]
        var count = 0
        for held32 in schedules.shiftsOf[volunteer] {
            let held = Int(held32)
            if held == shift || held == excluding || !shiftNight[held] || shiftPost[held] != post { continue }
            let distance = shiftNightDate[held] - date
            if distance == 1 || distance == -1 { count += 1 }
        }
        return count
    }

    /// Team members on duty at the instant of `shift` but at another site:
    /// the split pairs a member of `team` on `shift` takes part in.
    private func splitPartners(_ team: Int, _ shift: Int) -> Int {
        let atTime = teamAtTime[team * timeCount + shiftTime[shift], default: 0]
        let atGroup = teamAtGroup[team * groupCount + shiftGroup[shift], default: 0]
        return atTime - atGroup
    }

    /// Whether `volunteer` is on the candidate list of `shift` (rules 1, 2, 6
    /// and the single-shift day limit). Lists are sorted by (cost, index).
    private func isCandidate(_ volunteer: Int, _ shift: Int) -> Bool {
        let cost = Int32(model.cost(shift: shift, volunteer: volunteer))
        let target = Int32(volunteer)
        var low = model.candidateStart[shift]
        var high = model.candidateStart[shift + 1]
        while low < high {
            let middle = (low + high) / 2
            let key = (model.candidateCost[middle], model.candidateVolunteer[middle])
            if key < (cost, target) { low = middle + 1 } else { high = middle }
        }
        return low < model.candidateStart[shift + 1]
            && model.candidateCost[low] == cost && model.candidateVolunteer[low] == target
    }

    /// The candidates of `shift` whose placement costs exactly `cost`.
    private func tier(of shift: Int, cost: Int) -> Range<Int> {
        func firstIndex(notBelow value: Int32) -> Int {
            var low = model.candidateStart[shift]
            var high = model.candidateStart[shift + 1]
            while low < high {
                let middle = (low + high) / 2
                if model.candidateCost[middle] < value { low = middle + 1 } else { high = middle }
            }
            return low
        }
        return firstIndex(notBelow: Int32(cost))..<firstIndex(notBelow: Int32(cost + 1))
    }

    private mutating func place(_ volunteer: Int, _ shift: Int, _ sign: Int) {
        if sign > 0 {
            schedules.assign(volunteer, to: shift)
        } else {
            schedules.unassign(volunteer, from: shift)
        }
        seconds[volunteer] += sign * model.duration(shift)
        let team = volunteerTeam[volunteer]
        if team >= 0 {
            let group = shiftGroup[shift]
            let atTime = team * timeCount + shiftTime[shift]
            teamAtTime[atTime, default: 0] += sign
            let atGroup = team * groupCount + group
            teamAtGroup[atGroup, default: 0] += sign
            let count = teamAtGroup[atGroup, default: 0]
            if sign > 0 && count == 1 {
                teamGroupsAtTime[atTime, default: []].append(group)
            } else if sign < 0 && count == 0, let index = teamGroupsAtTime[atTime]?.firstIndex(of: group) {
                teamGroupsAtTime[atTime]?.remove(at: index)
            }
        }
    }

    /// Gives seats to equal-cost volunteers when that lowers the score.
    private mutating func replaceSweep() -> Bool {
        var improved = false
        for shift in 0..<model.shiftCount {
            let length = model.duration(shift)
            for volunteer in schedules.crew[shift].map(Int.init).sorted() {
                let team = volunteerTeam[volunteer]
                let leaveTeam = team >= 0 ? -teamWeight * splitPartners(team, shift) : 0
                let leaveNight = -nightWeight * repeatedNights(volunteer, shift, excluding: shift)
                let hoursBefore = seconds[volunteer]
                var best = 0
                var chosen = -1
                for index in tier(of: shift, cost: model.cost(shift: shift, volunteer: volunteer)) {
                    let other = Int(model.candidateVolunteer[index])
                    if other == volunteer { continue }
                    // Gain of moving `length` seconds from `volunteer` to `other`.
                    var delta = leaveNight + hoursWeight * 2 * length * (seconds[other] - hoursBefore + length)
                    // Joining adds no negative terms, so this is already a lower bound.
                    if delta + leaveTeam >= best { continue }
                    let otherTeam = volunteerTeam[other]
                    if otherTeam != team || team < 0 {
                        delta += leaveTeam
                        if otherTeam >= 0 { delta += teamWeight * splitPartners(otherTeam, shift) }
                    }
                    if delta >= best { continue }
                    delta += nightWeight * repeatedNights(other, shift, excluding: -1)
                    if delta >= best { continue }
                    if schedules.isOn(other, shift) || !schedules.canAdd(other, shift, model: model) { continue }
                    best = delta
                    chosen = other
                }
                if chosen >= 0 {
                    place(volunteer, shift, -1)
                    place(chosen, shift, 1)
                    improved = true
                }
            }
        }
        return improved
    }

    /// Exchanges same-instant shifts between two volunteers when that lowers
    /// the score at an unchanged total cost.
    private mutating func swapSweep() -> Bool {
        var improved = false
        for shifts in timeShifts where shifts.count > 1 {
            for first in shifts {
                for volunteer in schedules.crew[first].map(Int.init).sorted() where schedules.isOn(volunteer, first) {
                    let team = volunteerTeam[volunteer]
                    let split = team >= 0 ? splitPartners(team, first) : 0
                    let nights = repeatedNights(volunteer, first, excluding: first)
                    if split == 0 && nights == 0 { continue }
                    let firstCost = model.cost(shift: first, volunteer: volunteer)
                    var best = 0
                    var chosen: (shift: Int, volunteer: Int)?
                    let seconds = swapPartnerShifts(volunteer, first, nights: nights) ?? shifts
                    for second in seconds where second != first {
                        let sameGroup = shiftGroup[first] == shiftGroup[second]
                        if sameGroup && nights == 0 { continue }
                        if schedules.isOn(volunteer, second) || !isCandidate(volunteer, second) { continue }
                        let secondCost = model.cost(shift: second, volunteer: volunteer)
                        for other32 in schedules.crew[second] {
                            let other = Int(other32)
                            if other == volunteer { continue }
                            if firstCost + model.cost(shift: second, volunteer: other)
                                != secondCost + model.cost(shift: first, volunteer: other)
                            {
                                continue
                            }
                            let delta = swapDelta(volunteer, first, other, second, sameGroup: sameGroup)
                            if delta >= best { continue }
                            if schedules.isOn(other, first) || !isCandidate(other, first) { continue }
                            if !schedules.canAdd(volunteer, second, removing: first, model: model)
                                || !schedules.canAdd(other, first, removing: second, model: model)
                            {
                                continue
                            }
                            best = delta
                            chosen = (second, other)
                        }
                    }
                    if let chosen {
                        place(volunteer, first, -1)
                        place(chosen.volunteer, chosen.shift, -1)
                        place(volunteer, chosen.shift, 1)
                        place(chosen.volunteer, first, 1)
                        improved = true
                    }
                }
            }
        }
        return improved
    }

    /// The shifts starting with `first` on which a swap partner of `volunteer`
    /// could stand so that the swap lowers the score, in input order; nil when
    /// every shift of that instant may hold one.
    ///
    /// Why: on a testing day every site opens at the same moment, and trying
    /// every shift of that moment for every split team member made the sweep
    /// quadratic in the shifts of one instant (the profile put a third of the
    /// solve there, most of it in `isCandidate`). When nobody's night posts or
    /// hours can change (a day shift, one duration per instant), only the team
    /// term can be negative:
    /// `a` must join a group holding its own team, or its partner `b` must
    /// come from a team that stands in `first`'s group. Any other partner
    /// gives a change ≥ 0 (see `swapDelta`: each mover's term is
    /// inFrom − inTo − 1 with inTo = 0 and inFrom ≥ 1), which the sweep
    /// rejects anyway, so the moves chosen are exactly the same.
    private func swapPartnerShifts(_ volunteer: Int, _ first: Int, nights: Int) -> [Int]? {
        let time = shiftTime[first]
        let team = volunteerTeam[volunteer]
        guard nights == 0, team >= 0, !shiftNight[first], timeHasOneDuration[time] else { return nil }
        var teams = [team]
        for shift in groupShifts[shiftGroup[first]] {
            for member in schedules.crew[shift] {
                let other = volunteerTeam[Int(member)]
                if other >= 0 && !teams.contains(other) { teams.append(other) }
            }
        }
        var result: [Int] = []
        for other in teams {
            for group in teamGroupsAtTime[other * timeCount + time, default: []] where group != shiftGroup[first] {
                result.append(contentsOf: groupShifts[group])
            }
        }
        result.sort()
        var unique: [Int] = []
        unique.reserveCapacity(result.count)
        for shift in result where shift != unique.last { unique.append(shift) }
        return unique
    }

    /// Score change when `a` moves from `first` to `second` and `b` the other
    /// way; both shifts start at the same instant.
    private func swapDelta(_ a: Int, _ first: Int, _ b: Int, _ second: Int, sameGroup: Bool) -> Int {
        var delta = 0
        let teamA = volunteerTeam[a]
        let teamB = volunteerTeam[b]
        if !sameGroup && teamA != teamB {
            // Moving one member from group g1 (b1 members) to g2 (b2) changes
            // the split pairs by b1 − b2 − 1.
            for (team, from, to) in [(teamA, first, second), (teamB, second, first)] where team >= 0 {
                let inFrom = teamAtGroup[team * groupCount + shiftGroup[from], default: 0]
                let inTo = teamAtGroup[team * groupCount + shiftGroup[to], default: 0]
                delta += teamWeight * (inFrom - inTo - 1)
            }
        }
        delta +=
            nightWeight
            * (repeatedNights(a, second, excluding: first) - repeatedNights(a, first, excluding: first)
                + repeatedNights(b, first, excluding: second) - repeatedNights(b, second, excluding: second))
        let change = model.duration(second) - model.duration(first)
        if change != 0 {
            let hoursA = seconds[a]
            let hoursB = seconds[b]
            delta +=
                hoursWeight
                * ((hoursA + change) * (hoursA + change) - hoursA * hoursA
                    + (hoursB - change) * (hoursB - change) - hoursB * hoursB)
        }
        return delta
    }
}
