import Foundation
import ZeroMQ

/// The machine a benchmark ran on, and number formatting for its Markdown.
enum BenchmarkReport {
    static func machine() -> String {
        let cpu =
            (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        let memory =
            (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8))?
            .split(separator: "\n").first?.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { "\($0 / 1_048_576) GiB" }
            ?? "?"
        #if DEBUG
            let build = "DEBUG build (figures not comparable)"
        #else
            let build = "release build"
        #endif
        return
            "Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu), \(memory); libzmq \(ZMQContext.libraryVersion); \(build); \(ISO8601DateFormatter().string(from: Date()))."
    }

    static func milliseconds(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
