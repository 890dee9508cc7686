/// A resident's request as intake shows it, moved on by the other services' events.
public enum WorkOrderStatus: String, Sendable, Codable, CaseIterable {
    case open
    /// Nobody took it in time; the station's dispatcher has it.
    case unassigned
    case assigned
    case suppliesReserved = "supplies-reserved"
    case delivered
    case completed
    case followedUp = "followed-up"
    case cancelled
    case merged

    /// How far along the work is; a late event never moves a request backwards.
    var stage: Int {
        switch self {
        case .open: 0
        case .unassigned: 1
        case .assigned: 2
        case .suppliesReserved: 3
        case .delivered: 4
        case .completed: 5
        case .followedUp: 6
        case .cancelled, .merged: 100
        }
    }

    /// Closed requests take no more changes.
    public var isClosed: Bool { self == .cancelled || self == .merged || self == .followedUp }
}

/// The request's life as a value-type state machine.
public struct WorkOrderProgress: Sendable, Equatable {
    public private(set) var status: WorkOrderStatus

    public init(status: WorkOrderStatus = .open) {
        self.status = status
    }

    /// The status another service's event implies, if intake follows that topic.
    public static func status(forTopic topic: String) -> WorkOrderStatus? {
        switch topic {
        case "matching.request.assigned": .assigned
        case "matching.request.unassigned": .unassigned
        case "supplies.reservation.created": .suppliesReserved
        case "supplies.dispatch.delivered": .delivered
        case "matching.task.completed": .completed
        case "outreach.followup.completed": .followedUp
        default: nil
        }
    }

    /// Moves to `next` if that is progress; returns whether anything changed. An
    /// unassigned request that is then assigned moves on; nothing moves a closed one.
    public mutating func advance(to next: WorkOrderStatus) -> Bool {
        guard !status.isClosed, status != .cancelled else { return false }
        guard next.stage > status.stage || (status == .unassigned && next == .assigned) else { return false }
        status = next
        return true
    }

    /// Cancelling is possible until the goods are at the door.
    public mutating func cancel() -> Bool {
        guard status.stage < WorkOrderStatus.delivered.stage else { return false }
        status = .cancelled
        return true
    }

    public mutating func merge() -> Bool {
        guard !status.isClosed else { return false }
        status = .merged
        return true
    }
}
