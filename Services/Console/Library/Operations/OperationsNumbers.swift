import Foundation
import Models

/// The operations room's numbers, each from the service that owns it, read with the viewer's
/// scope. A service that does not answer leaves its number blank (`nil`), never zero.
struct OperationsNumbers: Sendable, Equatable {
    var openRequests: Int?
    /// Open requests by the control status of their compound: sealed, controlled, precaution, unknown.
    var openByZone: [String: Int]?
    var unassignedOver15Minutes: Int?
    /// The fewest days of cover of any item at any depot of the area, and which item.
    var shortestCover: (days: Double, item: String)?
    var overdueFollowUps: Int?

    static func == (lhs: OperationsNumbers, rhs: OperationsNumbers) -> Bool {
        lhs.openRequests == rhs.openRequests && lhs.openByZone == rhs.openByZone
            && lhs.unassignedOver15Minutes == rhs.unassignedOver15Minutes && lhs.shortestCover?.days == rhs.shortestCover?.days
            && lhs.shortestCover?.item == rhs.shortestCover?.item && lhs.overdueFollowUps == rhs.overdueFollowUps
    }

    /// Reads every number at once; each failure only blanks its own.
    static func read(_ calls: BackendCalls, now: Date = Date()) async -> OperationsNumbers {
        async let board = try? calls.get(.matching, "/v1/dispatch-board")
        async let compounds = try? calls.get(.supplies, "/v1/compounds?limit=1000")
        async let depots = try? calls.get(.supplies, "/v1/depots")
        async let due = try? calls.get(.outreach, "/v1/followups/due")
        var numbers = OperationsNumbers()
        if let answer = await board {
            let rows = DispatchBoard(answer).rows
            numbers.openRequests = rows.count
            numbers.unassignedOver15Minutes = rows.filter(\.isLate).count
            if let compounds = await compounds {
                numbers.openByZone = zones(of: rows, compounds: compounds)
            }
        }
        if case .array(let list)? = await due {
            numbers.overdueFollowUps = list.count
        }
        if case .array(let list)? = await depots {
            numbers.shortestCover = await shortestCover(calls, depots: list.prefix(20).compactMap { $0["id"]?.stringValue })
        }
        return numbers
    }

    /// Counts open requests by the status of the compound each is for.
    static func zones(of rows: [DispatchBoard.Row], compounds: JSONValue) -> [String: Int] {
        var status: [String: String] = [:]
        if case .array(let items)? = compounds["items"] {
            for item in items {
                if let code = item["code"]?.stringValue, let value = item["status"]?.stringValue { status[code] = value }
            }
        }
        var counts: [String: Int] = [:]
        for row in rows { counts[status[row.compound] ?? "unknown", default: 0] += 1 }
        return counts
    }

    private static func shortestCover(_ calls: BackendCalls, depots: [String]) async -> (days: Double, item: String)? {
        await withTaskGroup(of: (Double, String)?.self) { group in
            for depot in depots {
                group.addTask {
                    guard case .array(let items)? = try? await calls.get(.supplies, "/v1/stock/cover?depotId=\(depot)") else { return nil }
                    return items.compactMap { item -> (Double, String)? in
                        guard case .number(let days)? = item["daysOfCover"] else { return nil }
                        return (days, item["item"]?.stringValue ?? "")
                    }.min { $0.0 < $1.0 }
                }
            }
            var best: (Double, String)?
            for await found in group {
                if let found, best.map({ found.0 < $0.0 }) ?? true { best = found }
            }
            return best.map { (days: $0.0, item: $0.1) }
        }
    }
}
