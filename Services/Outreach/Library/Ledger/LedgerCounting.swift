import Foundation
import Models

/// What the street's daily ledger counts from the other services' events.
enum LedgerMeasure: String, Sendable, CaseIterable {
    /// `intake.request.created`: a work order filed.
    case requestsFiled = "requests-filed"
    /// `intake.request.status-changed` into delivered, completed or followed-up from a status
    /// before those: a work order done, once, on the day it was first done.
    case requestsDone = "requests-done"
    /// `supplies.dispatch.delivered`: stock handed over (a delivery stop, or held stock issued
    /// with a completed task).
    case deliveries
    /// `intake.checkins.recorded`: the residents checked in (its `count`).
    case checkins
    /// `matching.shift.worked`: a volunteer's hours on a shift (its `hours`).
    case shiftHours = "shift-hours"
    /// `matching.task.completed`: a volunteer's hours on a resident's work order (its `hours`).
    case taskHours = "task-hours"
}

/// One event's contribution to the ledger: an amount of a measure in a community on a day.
struct LedgerEntry: Sendable, Equatable {
    var measure: LedgerMeasure
    /// The community of the event's `area`; the area itself when it names no community (a
    /// street depot's delivery), so it is counted for the street, never guessed down.
    var community: AreaCode
    /// The China Standard Time day of `occurredAt`, `YYYY-MM-DD`.
    var day: String
    var amount: Double
}

/// Turns an event into its ledger entry: a plain rule, tested without I/O.
enum LedgerCounting {
    /// The topics followed, each a whole topic (a prefix of the consumer).
    static let topics = [
        "intake.request.created", "intake.request.status-changed", "intake.checkins.recorded", "supplies.dispatch.delivered",
        "matching.shift.worked", "matching.task.completed",
    ]

    /// The statuses in which a work order's work is done.
    static let doneStatuses: Set<String> = ["delivered", "completed", "followed-up"]

    /// The entry `event` makes; nil when it counts for nothing (a status change between two
    /// undone or two done statuses, an event without an area, a heartbeat's topic).
    static func entry(for event: EventEnvelope) -> LedgerEntry? {
        guard let community = event.area.flatMap(AreaCode.init).map(Self.community) else { return nil }
        let measure: LedgerMeasure
        var amount = 1.0
        switch event.topic.rawValue {
        case "intake.request.created": measure = .requestsFiled
        case "intake.request.status-changed":
            guard let status = event.data["status"]?.stringValue, doneStatuses.contains(status),
                !doneStatuses.contains(event.data["previousStatus"]?.stringValue ?? "")
            else { return nil }
            measure = .requestsDone
        case "supplies.dispatch.delivered": measure = .deliveries
        case "intake.checkins.recorded":
            measure = .checkins
            amount = number(event.data["count"])
        case "matching.shift.worked":
            measure = .shiftHours
            amount = number(event.data["hours"])
        case "matching.task.completed":
            measure = .taskHours
            amount = number(event.data["hours"])
        default: return nil
        }
        guard amount.isFinite, amount > 0 else { return nil }
        return LedgerEntry(measure: measure, community: community, day: Timestamp.chinaDay(of: event.occurredAt), amount: amount)
    }

    private static func number(_ value: JSONValue?) -> Double {
        if case .number(let number) = value { return number }
        return 0
    }

    /// A compound's community; a community or anything coarser as it is.
    static func community(_ area: AreaCode) -> AreaCode {
        area.level == .compound ? area.parent ?? area : area
    }
}
