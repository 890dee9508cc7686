import Foundation
import Models

/// Shifts left short by the roster plans, as `matching.shift.shortage` announced them, each
/// seat filled since (`matching.shift.assigned` of the same shift) taken off. A plain value:
/// the feed owns one behind its lock, tests build their own.
struct ShiftShortages: Sendable, Equatable {
    struct Shortage: Sendable, Equatable {
        var shiftID: String
        var area: String
        var role: String
        var startsAt: Date
        var endsAt: Date
        var unfilled: Int
        var cause: String
        var reason: String
    }

    /// At most this many are kept, the soonest first: a board shows what needs doing today.
    static let limit = 500
    private(set) var byShift: [String: Shortage] = [:]

    mutating func apply(_ event: EventEnvelope) {
        switch event.topic.rawValue {
        case "matching.shift.shortage":
            guard let shift = event.data["shiftId"]?.stringValue, let starts = Self.date(event.data["startsAt"]),
                let ends = Self.date(event.data["endsAt"])
            else { return }
            // A later plan's word on a shift replaces the earlier one.
            byShift[shift] = Shortage(
                shiftID: shift, area: event.data["area"]?.stringValue ?? event.area ?? "", role: event.data["role"]?.stringValue ?? "",
                startsAt: starts, endsAt: ends, unfilled: event.data["unfilled"]?.intValue ?? 0,
                cause: event.data["cause"]?.stringValue ?? "", reason: event.data["reason"]?.stringValue ?? "")
        case "matching.shift.assigned":
            guard let shift = event.data["shiftId"]?.stringValue, var shortage = byShift[shift] else { return }
            shortage.unfilled -= 1
            byShift[shift] = shortage.unfilled > 0 ? shortage : nil
        default:
            return
        }
    }

    /// Forgets shifts that are over, and the latest beyond ``limit``.
    mutating func expire(now: Date) {
        byShift = byShift.filter { $0.value.endsAt > now }
        if byShift.count > Self.limit {
            let kept = byShift.values.sorted { $0.startsAt < $1.startsAt }.prefix(Self.limit)
            byShift = Dictionary(uniqueKeysWithValues: kept.map { ($0.shiftID, $0) })
        }
    }

    /// The shortages inside `scope` (all when `nil`), soonest first.
    func list(in scope: AreaCode?) -> [Shortage] {
        byShift.values.filter { shortage in
            guard let scope else { return true }
            return AreaCode(shortage.area).map { scope.contains($0) } ?? false
        }.sorted { ($0.startsAt, $0.shiftID) < ($1.startsAt, $1.shiftID) }
    }

    private static func date(_ value: JSONValue?) -> Date? {
        guard let text = value?.stringValue else { return nil }
        return Timestamp.parse(text)
    }
}
