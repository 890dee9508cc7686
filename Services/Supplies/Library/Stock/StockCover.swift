import Foundation

/// How long a depot's stock of an item lasts at the last seven days' pace, and whether it
/// runs out within the horizon a station plans for (so it can call for donations in time).
struct StockCover: Sendable, Equatable {
    var available: Int
    /// Units issued per day, averaged over the window.
    var dailyUse: Double
    /// `nil` when nothing was used: the stock does not run down.
    var daysOfCover: Double?

    init(available: Int, issuedInWindow: Int, windowDays: Double = 7) {
        self.available = available
        dailyUse = windowDays > 0 ? Double(max(0, issuedInWindow)) / windowDays : 0
        daysOfCover = dailyUse > 0 ? Double(max(0, available)) / dailyUse : nil
    }

    /// Running low: below the depot's minimum, or out within `horizonDays` at this pace.
    func isLow(minimum: Int, horizonDays: Double) -> Bool {
        if available < minimum { return true }
        if let daysOfCover { return daysOfCover < horizonDays }
        return false
    }
}
