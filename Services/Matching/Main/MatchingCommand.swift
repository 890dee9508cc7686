import ArgumentParser
import Foundation
import Matching
import ServiceKit

@main
struct MatchingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shouwang-matching",
        abstract: "The Shouwang matching service, and its roster solver on its own.",
        subcommands: [Serve.self, Solve.self],
        defaultSubcommand: Serve.self
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: MatchingService.description.commandAbstract,
        discussion: "Every option falls back to its SHOUWANG_* environment variable (see ARCHITECTURE.md)."
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceApplication.run(MatchingService.description, configuration: options.resolve(for: MatchingService.description))
    }
}

struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Solves a roster instance (volunteers, shifts, rules) and prints the assignment and its objective.",
        discussion: """
            The instance format, the hard rules and the objective are in docs/ROSTER-SOLVER.md. \
            Prints one line per placement, the empty seats with their reason, and a summary line \
            with the objective, a lower bound and the gap between them; --json prints the whole \
            solution as JSON instead.
            """
    )

    @Option(help: "The instance, a JSON file.")
    var instance: String

    @Flag(help: "Print the solution as JSON.")
    var json = false

    func run() throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: instance))
        } catch {
            throw ValidationError("cannot read \(instance): \(error.localizedDescription)")
        }
        let started = ContinuousClock.now
        let solution: RosterSolution
        do {
            solution = try RosterSolver().solve(try RosterInstance.decode(from: data))
        } catch {
            throw ValidationError("\(instance): \(error)")
        }
        let elapsed = ContinuousClock.now - started
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(solution), as: UTF8.self))
            return
        }
        for assignment in solution.assignments {
            print("\(assignment.shiftId)\t\(assignment.volunteerId)\tcost \(assignment.cost)")
        }
        for empty in solution.unfilled {
            print("\(empty.shiftId)\t\(empty.count) unfilled\t\(empty.reason)")
        }
        let gap = solution.gap.map { String(format: "%.2f%%", $0 * 100) } ?? "n/a"
        print(
            "objective \(solution.objective), lower bound \(solution.lowerBound), gap \(gap)\(solution.provenOptimal ? " (optimal)" : ""), "
                + "\(solution.filledSlots)/\(solution.totalSlots) slots filled, solved in \(Int(elapsed / .milliseconds(1))) ms"
        )
    }
}
