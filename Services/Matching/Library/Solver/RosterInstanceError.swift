import Foundation

/// Reasons an instance is rejected before solving.
///
/// Bad input is reported instead of being silently "repaired", because a
/// roster built from a wrong shift time or a duplicated id would put real
/// people in the wrong place. Each message names the offending record and
/// says what to change.
public enum RosterInstanceError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformedJSON(String)
    case duplicateVolunteerID(String)
    case duplicateShiftID(String)
    case emptyArea(shiftID: String)
    case emptyHome(volunteerID: String)
    case shiftEndsBeforeStart(shiftID: String, start: Date, end: Date)
    case negativeSlots(shiftID: String, slots: Int)
    case windowEndsBeforeStart(volunteerID: String, index: Int, start: Date, end: Date)
    case invalidRule(name: String, value: Double)

    public var description: String {
        switch self {
        case .malformedJSON(let detail):
            return "instance is not valid JSON for the roster format: \(detail)"
        case .duplicateVolunteerID(let id):
            return "volunteer id '\(id)' appears more than once; volunteer ids must be unique"
        case .duplicateShiftID(let id):
            return "shift id '\(id)' appears more than once; shift ids must be unique"
        case .emptyArea(let id):
            return "shift '\(id)' has an empty area; give the community or compound code, e.g. 320505-001-001"
        case .emptyHome(let id):
            return "volunteer '\(id)' has an empty home; give the community or compound code, e.g. 320505-001-001"
        case .shiftEndsBeforeStart(let id, let start, let end):
            return
                "shift '\(id)' ends (\(ISO8601Timestamp.format(end))) at or before it starts (\(ISO8601Timestamp.format(start))); the end must be later than the start"
        case .negativeSlots(let id, let slots):
            return "shift '\(id)' asks for \(slots) slots; slots must be from 0 to \(RosterInstance.mostSlotsPerShift)"
        case .windowEndsBeforeStart(let id, let index, let start, let end):
            return
                "availability window #\(index) of volunteer '\(id)' ends (\(ISO8601Timestamp.format(end))) at or before it starts (\(ISO8601Timestamp.format(start))); the end must be later than the start"
        case .invalidRule(let name, let value):
            return "rule \(name) is \(value); it must be a number of hours from 0 to \(Int(RosterInstance.longestRuleHours))"
        }
    }
}

extension RosterInstance {
    /// Bounds that keep every time and cost computation far from overflow: a rule longer
    /// than a year, or a shift wanting more people than a district has, is a typo.
    public static let longestRuleHours = 24.0 * 366
    public static let mostSlotsPerShift = 100_000

    /// Checks the instance for inconsistencies the solver cannot sensibly
    /// interpret, throwing the first one found.
    public func validate() throws(RosterInstanceError) {
        for (name, value) in [("maxHoursPerDay", rules.maxHoursPerDay), ("minRestHours", rules.minRestHours)] {
            if !value.isFinite || value < 0 || value > Self.longestRuleHours {
                throw .invalidRule(name: name, value: value)
            }
        }
        var volunteerIDs = Set<String>()
        for volunteer in volunteers {
            if !volunteerIDs.insert(volunteer.id).inserted {
                throw .duplicateVolunteerID(volunteer.id)
            }
            if volunteer.home.isEmpty {
                throw .emptyHome(volunteerID: volunteer.id)
            }
            for (index, window) in volunteer.availability.enumerated() where window.end <= window.start {
                throw .windowEndsBeforeStart(volunteerID: volunteer.id, index: index, start: window.start, end: window.end)
            }
        }
        var shiftIDs = Set<String>()
        for shift in shifts {
            if !shiftIDs.insert(shift.id).inserted {
                throw .duplicateShiftID(shift.id)
            }
            if shift.area.isEmpty {
                throw .emptyArea(shiftID: shift.id)
            }
            if shift.end <= shift.start {
                throw .shiftEndsBeforeStart(shiftID: shift.id, start: shift.start, end: shift.end)
            }
            if shift.slots < 0 || shift.slots > Self.mostSlotsPerShift {
                throw .negativeSlots(shiftID: shift.id, slots: shift.slots)
            }
        }
    }
}
