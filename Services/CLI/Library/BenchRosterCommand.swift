import ArgumentParser
import Foundation
import Matching

struct BenchRosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Times the roster solver on random city-shaped instances and reports its gap to a lower bound.",
        discussion: """
            For each seed, generates an instance of --volunteers volunteers and --slots slots (a \
            district of streets and communities, skills on some shifts; --shape city spreads the \
            shifts in daily bands over a few days, --shape same-hour starts every shift at 08:00 \
            of one testing day), solves it --runs times, and prints the median time with the \
            objective, the lower bound and the gap (objective − bound) / bound. A gap of 0 proves \
            the roster optimal. Generation time is not counted.
            """
    )

    /// The generator's timetable; `RosterShape` lives in Matching, which does
    /// not depend on ArgumentParser, hence this mirror.
    enum Shape: String, ExpressibleByArgument, CaseIterable {
        case city
        case sameHour = "same-hour"

        var rosterShape: RosterShape {
            switch self {
            case .city: .city
            case .sameHour: .sameHourCity
            }
        }
    }

    @Option(help: "Volunteers per instance.")
    var volunteers = 10_000

    @Option(help: "Slots (people wanted, summed over shifts) per instance.")
    var slots = 2_000

    @Option(help: "Seeds: a count N runs seeds 1…N.")
    var seeds = 5

    @Option(help: "Solves per seed; the median is reported.")
    var runs = 3

    @Option(
        help: """
            Timetable of the instances: city (shifts in daily bands over three days) or same-hour \
            (a testing day: every sampling site opens at 08:00, so all shifts start at one moment).
            """)
    var shape: Shape = .city

    func validate() throws {
        guard volunteers > 0, slots > 0, seeds > 0, runs > 0 else { throw ValidationError("every count must be positive") }
    }

    func run() throws {
        print("| shape | seed | slots | volunteers | median solve | objective | lower bound | gap | filled |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        var medians: [Double] = []
        var gaps: [Double] = []
        for seed in 1...seeds {
            let instance = RosterInstance.random(
                volunteers: volunteers, slots: slots, seed: UInt64(seed), shape: shape.rosterShape)
            var times: [Double] = []
            var solution: RosterSolution?
            for _ in 0..<runs {
                let started = ContinuousClock.now
                solution = try RosterSolver().solve(instance)
                times.append((ContinuousClock.now - started) / .milliseconds(1))
            }
            guard let solution else { continue }
            let median = Percentiles(times).at(0.5)
            medians.append(median)
            gaps.append(solution.gap ?? 0)
            print(
                "| \(shape.rawValue) | \(seed) | \(solution.totalSlots) | \(instance.volunteers.count) | \(Int(median)) ms | \(solution.objective) | \(solution.lowerBound) | "
                    + String(format: "%.2f%%", (solution.gap ?? 0) * 100) + " | \(solution.filledSlots) |"
            )
        }
        print("")
        print(
            BenchmarkReport.machine() + " Shape \(shape.rawValue). Median of medians \(Int(Percentiles(medians).at(0.5))) ms; worst gap "
                + String(format: "%.2f%%", (gaps.max() ?? 0) * 100) + "."
        )
    }
}
