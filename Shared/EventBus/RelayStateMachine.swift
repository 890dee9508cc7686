/// The relay's leadership and pacing, without any I/O.
///
/// One relay per stream leads (it holds the stream's advisory lock); the others stand by
/// and ask again every retry interval, so a replica takes over within about that interval
/// of the leader's connection closing. The leader sequences batch after batch while they
/// come back full, and announces heads when a heartbeat is due.
struct RelayStateMachine: Sendable {
    enum Role: Equatable, Sendable { case standby, leader }

    enum Action: Equatable, Sendable {
        /// Ask for the leader lock (after waiting, when given).
        case tryLock(afterMilliseconds: Int64)
        /// Sequence and publish one batch.
        case sequence
        /// Publish every topic's head.
        case heartbeat
        /// Wait for the next wake-up (notification or poll tick).
        case wait
    }

    let batchSize: Int
    let heartbeatIntervalMilliseconds: Int64
    let retryMilliseconds: Int64
    private(set) var role: Role = .standby
    private var lastHeartbeat: Int64?
    /// The last batch came back full: more rows are waiting.
    private var backlog = false

    init(batchSize: Int, heartbeatIntervalMilliseconds: Int64, retryMilliseconds: Int64) {
        self.batchSize = batchSize
        self.heartbeatIntervalMilliseconds = heartbeatIntervalMilliseconds
        self.retryMilliseconds = retryMilliseconds
    }

    /// The answer to a lock request.
    mutating func lockAnswered(acquired: Bool) -> Action {
        guard acquired else { return .tryLock(afterMilliseconds: retryMilliseconds) }
        role = .leader
        lastHeartbeat = nil
        return .sequence
    }

    /// The database connection failed: whatever the role was, it is gone with the session.
    mutating func connectionLost() -> Action {
        role = .standby
        return .tryLock(afterMilliseconds: retryMilliseconds)
    }

    /// A notification or the poll tick.
    mutating func woke(atMilliseconds now: Int64) -> Action {
        guard role == .leader else { return .wait }
        return .sequence
    }

    /// A batch was sequenced and handed to the publisher. Heartbeats keep their pace even
    /// while a backlog drains, so subscribers still notice a lost tail.
    mutating func sequenced(count: Int, atMilliseconds now: Int64) -> Action {
        backlog = count >= batchSize
        if heartbeatDue(at: now) { return .heartbeat }
        return backlog ? .sequence : .wait
    }

    /// Heads were published.
    mutating func heartbeatSent(atMilliseconds now: Int64) -> Action {
        lastHeartbeat = now
        return backlog ? .sequence : .wait
    }

    private func heartbeatDue(at now: Int64) -> Bool {
        guard let last = lastHeartbeat else { return true }
        return now - last >= heartbeatIntervalMilliseconds
    }
}
