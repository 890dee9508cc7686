import Synchronization

/// The relay's stall rule, without I/O: a connection whose work has completed no database
/// round trip for the stall timeout is closed; if the work still has not ended one more
/// timeout after that, the process must go.
struct RelayWatchdog: Sendable {
    enum Verdict: Equatable, Sendable {
        case healthy
        /// Close the connection now: nothing came back for `idleMilliseconds`.
        case stalled(idleMilliseconds: Int64)
        /// The connection was closed a timeout ago and the work has not ended.
        case stuckAfterClose
    }

    let stallTimeoutMilliseconds: Int64
    private var closedAt: Int64?

    init(stallTimeoutMilliseconds: Int64) {
        self.stallTimeoutMilliseconds = stallTimeoutMilliseconds
    }

    mutating func check(lastProgressAtMilliseconds last: Int64, workEnded: Bool, atMilliseconds now: Int64) -> Verdict {
        if workEnded { return .healthy }
        if let closedAt {
            return now - closedAt >= stallTimeoutMilliseconds ? .stuckAfterClose : .healthy
        }
        let idle = now - last
        guard idle >= stallTimeoutMilliseconds else { return .healthy }
        closedAt = now
        return .stalled(idleMilliseconds: idle)
    }
}

/// When the relay's work last heard back from the database, shared between the work and
/// its watchdog (two child tasks), hence atomics.
final class RelayProgress: Sendable {
    private let last = Atomic<Int64>(MonotonicClock.milliseconds())
    private let endedFlag = Atomic<Bool>(false)

    func roundTripCompleted() { last.store(MonotonicClock.milliseconds(), ordering: .relaxed) }
    func ended() { endedFlag.store(true, ordering: .relaxed) }

    var lastRoundTrip: Int64 { last.load(ordering: .relaxed) }
    var hasEnded: Bool { endedFlag.load(ordering: .relaxed) }
}
