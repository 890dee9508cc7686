import Foundation

/// How often outreach calls or visits each resident, by care level: daily for high, every
/// three days for medium, weekly for low. A need fulfilled for a resident brings the next
/// follow-up forward to the next day (电话后续跟进), whatever the cadence says.
enum FollowUpCadence {
    static func interval(for level: CareLevel) -> TimeInterval {
        switch level {
        case .high: 86_400
        case .medium: 3 * 86_400
        case .low: 7 * 86_400
        }
    }

    /// When the next follow-up is due after one done at `done`.
    static func next(after done: Date, level: CareLevel) -> Date {
        done.addingTimeInterval(interval(for: level))
    }

    /// Due the day after a need was fulfilled, unless an earlier follow-up is already due.
    static func afterFulfilment(at fulfilled: Date, currentlyDue: Date?) -> Date {
        let nextDay = fulfilled.addingTimeInterval(86_400)
        return min(nextDay, currentlyDue ?? nextDay)
    }

    /// Overdue: the due time passed more than `grace` ago without a follow-up.
    static func isOverdue(due: Date, now: Date, grace: TimeInterval = 6 * 3600) -> Bool {
        now.timeIntervalSince(due) > grace
    }
}
