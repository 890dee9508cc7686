import Foundation
import Testing

@testable import Matching

/// A city-wide testing day: every sampling site opens at the same hour, so
/// all shifts start at one moment (the shape that made the preference pass's
/// swap sweep quadratic). The roster must keep every hard rule and stay
/// deterministic; the city shape must not change for existing seeds.
@Suite struct SameHourRosterTests {
    @Test func everyShiftStartsAtTheSameMoment() {
        let instance = RosterInstance.random(volunteers: 2000, slots: 400, seed: 1, shape: .sameHourCity)
        #expect(Set(instance.shifts.map(\.start)).count == 1)
        #expect(Set(instance.shifts.map(\.end)).count == 1)
        #expect(instance.shifts.reduce(0) { $0 + $1.slots } == 400)
        #expect(instance.shifts.allSatisfy { (1...5).contains($0.slots) })
        #expect(instance.volunteers.count == 2000)
        #expect(RosterInstance.random(volunteers: 2000, slots: 400, seed: 1, shape: .sameHourCity) == instance)
    }

    @Test func cityShapeIsTheDefaultGenerator() {
        #expect(
            RosterInstance.random(volunteers: 1500, slots: 400, seed: 7, shape: .city)
                == RosterInstance.random(volunteers: 1500, slots: 400, seed: 7))
    }

    @Test(arguments: [
        (volunteers: 3000, slots: 600, seed: UInt64(1)),
        (volunteers: 3000, slots: 600, seed: UInt64(2)),
        (volunteers: 800, slots: 600, seed: UInt64(3)),  // scarce: a third of them can come that morning
    ])
    func everyHardRuleHolds(volunteers: Int, slots: Int, seed: UInt64) throws {
        let instance = RosterInstance.random(volunteers: volunteers, slots: slots, seed: seed, shape: .sameHourCity)
        let solution = try RosterSolver().solve(instance)
        let problems = IndependentChecker.violations(instance, solution)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        #expect(solution.totalSlots == slots)
        #expect(solution.lowerBound <= solution.objective)
    }

    /// The preference pass only reorders who stands where: the objective is
    /// the one reached without it, and its score is never worse.
    @Test func preferencePassKeepsTheObjective() throws {
        let instance = RosterInstance.random(volunteers: 3000, slots: 600, seed: 4, shape: .sameHourCity)
        let solution = try RosterSolver().solve(instance)
        let plain = try RosterSolver(options: .init(preferenceRounds: 0)).solve(instance)
        #expect(solution.objective == plain.objective)
        #expect(solution.preferences.weighted <= plain.preferences.weighted)
        #expect(solution.preferences.teamSplits < plain.preferences.teamSplits)
        #expect(IndependentChecker.violations(instance, solution).isEmpty)
    }

    @Test func sameInstanceGivesSameRoster() throws {
        let instance = RosterInstance.random(volunteers: 1500, slots: 400, seed: 7, shape: .sameHourCity)
        let first = try RosterSolver().solve(instance)
        #expect(try RosterSolver().solve(instance) == first)
        #expect(try RosterSolver().solve(RosterInstance.decode(from: instance.encoded())) == first)
    }
}
