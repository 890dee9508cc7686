import Testing

@testable import Matching

@Suite struct LargeInstanceTests {
    @Test(arguments: [
        (volunteers: 3000, slots: 600, seed: UInt64(1)),
        (volunteers: 3000, slots: 600, seed: UInt64(2)),
        (volunteers: 250, slots: 600, seed: UInt64(3)),  // scarce: the schedule rules bind everywhere
        (volunteers: 600, slots: 600, seed: UInt64(4)),
    ])
    func everyHardRuleHolds(volunteers: Int, slots: Int, seed: UInt64) throws {
        let instance = RosterInstance.random(volunteers: volunteers, slots: slots, seed: seed)
        let solution = try RosterSolver().solve(instance)
        let problems = IndependentChecker.violations(instance, solution)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        #expect(solution.totalSlots == slots)
    }

    @Test func sameInstanceGivesSameRoster() throws {
        let instance = RosterInstance.random(volunteers: 1500, slots: 400, seed: 7)
        let first = try RosterSolver().solve(instance)
        let second = try RosterSolver().solve(instance)
        #expect(first == second)
        let again = RosterInstance.random(volunteers: 1500, slots: 400, seed: 7)
        #expect(again == instance)
        let decoded = try RosterInstance.decode(from: instance.encoded())
        #expect(try RosterSolver().solve(decoded) == first)
    }
}
