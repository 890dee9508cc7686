import Foundation
import Testing

@testable import Matching

/// The tie-breaking preferences: they must win whenever an equal-cost roster
/// allows it, and must never change the objective or break a rule.
@Suite struct PreferenceTests {
    static let origin = SmallInstances.origin  // 2026-04-10T00:00:00Z

    static func hour(_ value: Int) -> Date { origin.addingTimeInterval(Double(value) * 3600) }

    static func allWeek(_ id: String, team: String? = nil, home: String = "100001-001-009") -> Volunteer {
        Volunteer(id: id, home: home, team: team, availability: [AvailabilityWindow(start: hour(0), end: hour(24 * 7))])
    }

    static func withoutPass() -> RosterSolver {
        var options = RosterSolver.Options()
        options.preferenceRounds = 0
        return RosterSolver(options: options)
    }

    static func crews(_ solution: RosterSolution) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for assignment in solution.assignments { result[assignment.shiftId, default: []].insert(assignment.volunteerId) }
        return result
    }

    /// (a) Two posts in two communities open at the same time; every volunteer
    /// costs 3 on either, so only the preference decides where the team stands.
    /// (When written, the solver without the pass put t1 + x on A, t2 + y on B;
    /// in (b) it gave all four shifts to a; in (c) a stood P on both nights.)
    @Test func teamMembersStandTogether() throws {
        let instance = RosterInstance(
            volunteers: [Self.allWeek("t1", team: "T"), Self.allWeek("x"), Self.allWeek("t2", team: "T"), Self.allWeek("y")],
            shifts: [
                Shift(id: "A", postId: "PA", area: "100001-001-001", role: "r", start: Self.hour(8), end: Self.hour(12), slots: 2),
                Shift(id: "B", postId: "PB", area: "100001-001-002", role: "r", start: Self.hour(8), end: Self.hour(12), slots: 2),
            ]
        )
        let solution = try RosterSolver().solve(instance)
        #expect(IndependentChecker.violations(instance, solution).isEmpty)
        #expect(solution.objective == 12)
        let crews = Self.crews(solution)
        #expect(crews["A"] == ["t1", "t2"] || crews["B"] == ["t1", "t2"], "\(crews)")
        #expect(solution.preferences.teamSplits == 0)
        let plain = try Self.withoutPass().solve(instance)
        #expect(plain.objective == solution.objective)
        #expect(plain.preferences.weighted >= solution.preferences.weighted)
    }

    /// (b) Four 4-hour shifts on four days, two interchangeable volunteers.
    @Test func hoursAreSpread() throws {
        let instance = RosterInstance(
            volunteers: [Self.allWeek("a"), Self.allWeek("b")],
            shifts: (0..<4).map { day in
                Shift(
                    id: "s\(day)", postId: "P", area: "100001-001-001", role: "r",
                    start: Self.hour(24 * day + 8), end: Self.hour(24 * day + 12), slots: 1)
            }
        )
        let solution = try RosterSolver().solve(instance)
        #expect(IndependentChecker.violations(instance, solution).isEmpty)
        #expect(solution.filledSlots == 4 && solution.objective == 12)
        let perVolunteer = Dictionary(grouping: solution.assignments, by: \.volunteerId).mapValues(\.count)
        #expect(perVolunteer == ["a": 2, "b": 2], "\(perVolunteer)")
        #expect(solution.preferences.hoursSpread == 2 * 8 * 8)
    }

    /// (c) Two night posts on two consecutive nights, two volunteers who work
    /// every night: whoever stands post P on the first night takes Q on the second.
    @Test func nightPostsRotate() throws {
        var shifts: [Shift] = []
        for day in 0..<2 {
            for post in ["P", "Q"] {
                shifts.append(
                    Shift(
                        id: "\(post)\(day)", postId: post, area: "100001-001-001", role: "r",
                        start: Self.hour(24 * day + 20), end: Self.hour(24 * day + 23), slots: 1))
            }
        }
        let instance = RosterInstance(volunteers: [Self.allWeek("a"), Self.allWeek("b")], shifts: shifts)
        let solution = try RosterSolver().solve(instance)
        #expect(IndependentChecker.violations(instance, solution).isEmpty)
        #expect(solution.filledSlots == 4)
        let crews = Self.crews(solution)
        #expect(crews["P0"] != nil && crews["P0"] != crews["P1"], "\(crews)")
        #expect(solution.preferences.repeatedNightPosts == 0)
    }

    /// A 23:00 shift and a 02:00 shift belong to the same night; 19:00 starts a
    /// night, 18:00 and 06:00 do not.
    @Test func nightsAreDatedByTheirEvening() throws {
        func score(_ startHours: [Int]) throws -> Int {
            let shifts = startHours.enumerated().map { index, start in
                Shift(
                    id: "s\(index)", postId: "P", area: "100001-001-001", role: "r",
                    start: Self.hour(start), end: Self.hour(start + 1), slots: 1)
            }
            let instance = RosterInstance(
                volunteers: [Self.allWeek("a")], shifts: shifts,
                rules: RosterRules(maxHoursPerDay: 8, minRestHours: 0))
            let solution = try RosterSolver().solve(instance)
            #expect(solution.filledSlots == startHours.count)
            return solution.preferences.repeatedNightPosts
        }
        #expect(try score([19, 24 + 19]) == 1)
        #expect(try score([23, 24 + 2]) == 0)  // one night
        #expect(try score([23, 48 + 2]) == 1)  // nights of the 10th and 11th
        #expect(try score([18, 24 + 18]) == 0)
        #expect(try score([6, 24 + 6]) == 0)
        #expect(try score([24 + 5, 48 + 5]) == 1)
    }

    /// (d) The pass never changes the objective nor breaks a rule, and never
    /// makes the secondary score worse.
    @Test func passKeepsObjectiveAndRules() throws {
        var instances = (1...300).map { SmallInstances.make(seed: $0) }
        instances += [
            RosterInstance.random(volunteers: 3000, slots: 600, seed: 1),
            RosterInstance.random(volunteers: 250, slots: 600, seed: 3),
            RosterInstance.random(volunteers: 600, slots: 600, seed: 4),
        ]
        for (index, instance) in instances.enumerated() {
            let plain = try Self.withoutPass().solve(instance)
            let solution = try RosterSolver().solve(instance)
            let problems = IndependentChecker.violations(instance, solution)
            #expect(problems.isEmpty, "instance \(index): \(problems.prefix(5))")
            #expect(solution.objective == plain.objective, "instance \(index)")
            #expect(solution.lowerBound == plain.lowerBound && solution.provenOptimal == plain.provenOptimal, "instance \(index)")
            #expect(solution.filledSlots == plain.filledSlots, "instance \(index)")
            #expect(solution.preferences.weighted <= plain.preferences.weighted + 1e-6, "instance \(index)")
        }
    }

    @Test func solutionsWithoutPreferencesStillDecode() throws {
        let json =
            #"{"assignments":[],"unfilled":[],"objective":0,"lowerBound":0,"gap":0,"provenOptimal":true,"totalSlots":0,"filledSlots":0}"#
        let solution = try JSONDecoder().decode(RosterSolution.self, from: Data(json.utf8))
        #expect(solution.preferences == PreferenceScore())
        let roundTrip = try JSONDecoder().decode(RosterSolution.self, from: JSONEncoder().encode(solution))
        #expect(roundTrip == solution)
    }
}
