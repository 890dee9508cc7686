import Models

/// Why a resident leaves the registry (销册): a code, so the event and the counts can carry it;
/// anything more is the closing note, which stays in outreach.
enum ClosureReason: String, Sendable, Codable, CaseIterable {
    /// 去世.
    case deceased
    /// 迁出: moved out of the area, or into a care home elsewhere.
    case movedAway = "moved-away"
    /// No longer one of the registry's categories (a carer back from quarantine, recovered).
    case noLongerEligible = "no-longer-eligible"
    /// The resident (or their guardian) asked to be taken off.
    case declined
    /// Entered twice: the other record stays.
    case duplicate
    /// Anything else: the note says what.
    case other
}

/// A resident's record as open or closed, and the moves between: a plain value, tested
/// without I/O. A closed record takes no edits (reopen it first), so what a closed resident's
/// record said on the day it was closed stays what it said.
struct ResidentLifecycle: Sendable, Equatable {
    enum Status: String, Sendable, CaseIterable {
        case active, closed
    }

    private(set) var status: Status

    init(status: Status) {
        self.status = status
    }

    /// Only an open record is edited.
    func requireEditable() throws(Refusal) {
        guard status == .active else {
            throw Refusal("This resident's record is closed; reopen it before editing it.", title: "Record closed")
        }
    }

    mutating func close() throws(Refusal) {
        guard status == .active else { throw Refusal("This resident's record is closed already.", title: "Already closed") }
        status = .closed
    }

    mutating func reopen() throws(Refusal) {
        guard status == .closed else { throw Refusal("This resident's record is open.", title: "Not closed") }
        status = .active
    }
}
