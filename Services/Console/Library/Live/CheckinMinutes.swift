import Foundation
import Models

/// Check-ins per street per minute over the last hour, counted from `intake.checkins.recorded`
/// as the events arrive. A plain value: the feed owns one behind a lock, tests build their own.
struct CheckinMinutes: Sendable, Equatable {
    /// street code → minute (seconds since 1970 / 60) → residents checked in.
    private(set) var counts: [String: [Int: Int]] = [:]
    static let window = 60

    /// Counts one event's check-ins in its street's minute; events of an area coarser than a
    /// street, or older than the window, are not shown on a per-street chart.
    mutating func record(area: String?, count: Int, at time: Date, now: Date) {
        guard let street = area.flatMap(AreaCode.init)?.street, count > 0 else { return }
        let minute = Self.minute(time)
        guard minute > Self.minute(now) - Self.window else { return }
        counts[street.rawValue, default: [:]][minute, default: 0] += count
    }

    /// Forgets minutes that left the window.
    mutating func expire(now: Date) {
        let oldest = Self.minute(now) - Self.window
        for street in counts.keys {
            counts[street] = counts[street]?.filter { $0.key > oldest }
            if counts[street]?.isEmpty == true { counts[street] = nil }
        }
    }

    /// The last `minutes` minutes of each street inside `scope` (all streets when `nil`),
    /// oldest first, the current minute last.
    func series(in scope: AreaCode?, minutes: Int, now: Date) -> [(street: String, perMinute: [Int])] {
        let current = Self.minute(now)
        return counts.keys.sorted().compactMap { street in
            guard let code = AreaCode(street), scope.map({ $0.contains(code) || code.contains($0) }) ?? true else { return nil }
            // A community's staff see their own street's line (the street holds their community).
            let byMinute = counts[street] ?? [:]
            return (street, (0..<minutes).map { byMinute[current - minutes + 1 + $0] ?? 0 })
        }
    }

    static func minute(_ time: Date) -> Int { Int((time.timeIntervalSince1970 / 60).rounded(.down)) }
}
