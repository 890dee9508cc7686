import EventBus

/// Who waits for the replay endpoint's database workers, and who goes next — without I/O.
///
/// Replay is how subscribers recover what the lossy live stream dropped, so the services'
/// own recovery must not starve behind an outsider's flood. The rules:
/// - every key has a token bucket (a rate and a burst); a request beyond it is refused at
///   once with the time to wait, not queued;
/// - every key has a short queue of its own; a full queue refuses;
/// - keys take turns (round robin over keys with work), so a key with a thousand queued
///   requests delays another key's request by at most one of its own;
/// - each key has few requests in flight, and integrators together never hold every
///   worker: at least ``Limits/reservedForServices`` stay free for service keys.
///
/// Time is passed in (milliseconds of a monotonic clock), so the rules are tested directly.
struct ReplayScheduler<Job: Sendable>: Sendable {
    typealias Limits = ReplayLimits
    typealias Rate = ReplayLimits.Rate

    enum Admission: Sendable, Equatable {
        case queued
        /// Refused now; `retryAfterMilliseconds` is when the key's bucket has a token again
        /// (0 when the refusal is a full queue).
        case refused(reason: String, retryAfterMilliseconds: Int64)
    }

    private struct KeyState: Sendable {
        var role: BusKeyGrant.Role
        var tokens: Double
        var refilledAt: Int64
        var queue: [Job] = []
        var inFlight = 0
    }

    let limits: Limits
    private var keys: [String: KeyState] = [:]
    /// Keys in the order they take turns.
    private var turns: [String] = []
    private var cursor = 0
    private(set) var inFlight = 0
    private var integratorsInFlight = 0

    init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Requests waiting for a worker.
    var depth: Int { keys.values.reduce(0) { $0 + $1.queue.count } }

    /// Offers `job` from `key`.
    mutating func submit(_ job: Job, key: String, role: BusKeyGrant.Role, atMilliseconds now: Int64) -> Admission {
        let rate = role == .integrator ? limits.integratorRate : limits.serviceRate
        var state = keys[key] ?? KeyState(role: role, tokens: rate.burst, refilledAt: now)
        state.role = role
        state.tokens = min(rate.burst, state.tokens + Double(max(0, now - state.refilledAt)) * rate.perSecond / 1000)
        state.refilledAt = now
        defer { keys[key] = state }
        guard state.tokens >= 1 else {
            let wait = Int64(((1 - state.tokens) * 1000 / rate.perSecond).rounded(.up))
            return .refused(
                reason: "too many replay requests from key \(key): at most \(Int(rate.perSecond))/s", retryAfterMilliseconds: wait)
        }
        guard state.queue.count < limits.queuePerKey else {
            return .refused(reason: "key \(key) already has \(limits.queuePerKey) replay requests waiting", retryAfterMilliseconds: 0)
        }
        state.tokens -= 1
        state.queue.append(job)
        if !turns.contains(key) { turns.append(key) }
        return .queued
    }

    /// The next job a free worker should run, taking keys in turn; `nil` when every worker
    /// is busy or no key with work may start another now.
    mutating func next() -> (key: String, job: Job)? {
        guard inFlight < limits.workers, !turns.isEmpty else { return nil }
        for step in 0..<turns.count {
            let index = (cursor + step) % turns.count
            let key = turns[index]
            guard var state = keys[key], !state.queue.isEmpty, mayStart(state) else { continue }
            let job = state.queue.removeFirst()
            state.inFlight += 1
            inFlight += 1
            if state.role == .integrator { integratorsInFlight += 1 }
            keys[key] = state
            if state.queue.isEmpty {
                turns.remove(at: index)
                cursor = turns.isEmpty ? 0 : index % turns.count
            } else {
                cursor = (index + 1) % turns.count
            }
            return (key, job)
        }
        return nil
    }

    /// A worker finished `key`'s job.
    mutating func finished(key: String) {
        guard var state = keys[key], state.inFlight > 0 else { return }
        state.inFlight -= 1
        inFlight -= 1
        if state.role == .integrator { integratorsInFlight -= 1 }
        keys[key] = state
    }

    private func mayStart(_ state: KeyState) -> Bool {
        switch state.role {
        case .integrator:
            state.inFlight < limits.inFlightPerIntegratorKey && integratorsInFlight < limits.workers - limits.reservedForServices
        case .service, .publisher:
            state.inFlight < limits.inFlightPerServiceKey
        }
    }
}

/// How much replay work the bus takes on, and from whom (see ``ReplayScheduler``).
struct ReplayLimits: Sendable {
    var workers = 4
    /// Workers integrators may never take.
    var reservedForServices = 1
    var inFlightPerServiceKey = 2
    var inFlightPerIntegratorKey = 1
    var queuePerKey = 32
    var serviceRate = Rate(perSecond: 200, burst: 400)
    var integratorRate = Rate(perSecond: 20, burst: 40)

    struct Rate: Sendable {
        var perSecond: Double
        var burst: Double
    }
}
