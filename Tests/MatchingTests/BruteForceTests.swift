import Testing

@testable import Matching

@Suite struct BruteForceTests {
    static let seeds: ClosedRange<UInt64> = 1...2000

    @Test func solverMatchesBruteForceOnSmallInstances() throws {
        var mismatches: [UInt64] = []
        for seed in Self.seeds {
            let instance = SmallInstances.make(seed: seed)
            let solution = try RosterSolver().solve(instance)
            let optimum = BruteForce.optimum(instance)
            #expect(IndependentChecker.violations(instance, solution).isEmpty, "seed \(seed)")
            #expect(solution.lowerBound <= optimum, "seed \(seed): bound \(solution.lowerBound) above optimum \(optimum)")
            #expect(solution.provenOptimal, "seed \(seed)")
            if solution.objective != optimum { mismatches.append(seed) }
        }
        #expect(mismatches.isEmpty, "seeds where the solver missed the optimum: \(mismatches)")
        print("brute force: \(Self.seeds.count - mismatches.count)/\(Self.seeds.count) seeds optimal")
    }

    /// Measures the heuristic alone (exact search disabled). Not every seed
    /// is expected to be optimal; the bound must still hold everywhere.
    @Test func heuristicAloneIsValidAndUsuallyOptimal() throws {
        let solver = RosterSolver(options: .init(exactSearchNodeLimit: 0))
        var optimal = 0
        var proven = 0
        for seed in Self.seeds {
            let instance = SmallInstances.make(seed: seed)
            let solution = try solver.solve(instance)
            let optimum = BruteForce.optimum(instance)
            #expect(IndependentChecker.violations(instance, solution).isEmpty, "seed \(seed)")
            #expect(solution.lowerBound <= optimum, "seed \(seed)")
            #expect(solution.objective >= optimum, "seed \(seed)")
            if solution.objective == optimum { optimal += 1 }
            if solution.provenOptimal { proven += 1 }
        }
        print("heuristic alone: \(optimal)/\(Self.seeds.count) optimal, \(proven) proven by the bound")
        #expect(optimal * 10 >= Self.seeds.count * 9)
    }
}
