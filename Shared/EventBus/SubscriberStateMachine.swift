import Models

/// The subscriber's gap-and-replay protocol, without any I/O.
///
/// It turns what arrives (live messages, heartbeats, replay pages, clock ticks) into what
/// to do (events to hand to the application, a replay request to send). It guarantees that
/// for each topic the application receives every event once, in `seq` order, whatever the
/// network loses or repeats, as long as replay eventually answers.
///
/// - Live events are delivered when they are next in their topic; earlier ones are
///   dropped as duplicates; later ones are held and a replay fills the gap.
/// - A heartbeat whose head is ahead of what was delivered means a lost tail: replay.
/// - One replay is in flight at a time; its reply is applied idempotently (a late or
///   repeated reply is harmless), and another follows until every topic reaches the
///   heads the reply announced and nothing is held.
/// - A replay unanswered for `replayTimeout` is sent again.
public struct SubscriberStateMachine: Sendable {
    /// Where a new subscription begins.
    public enum StartPosition: Sendable, Equatable {
        /// Every event ever published on the prefix.
        case beginning
        /// Only events published from now on (asks the heads first).
        case now
        /// After these sequence numbers (a durable consumer's saved positions); topics not
        /// listed start at their first event.
        case after([String: Int64])
    }

    /// What the shell must do after an input.
    public struct Output: Sendable, Equatable {
        /// Events for the application, in order per topic.
        public var deliver: [EventEnvelope] = []
        /// A replay request to send now.
        public var replay: ReplayRequest?

        public init(deliver: [EventEnvelope] = [], replay: ReplayRequest? = nil) {
            self.deliver = deliver
            self.replay = replay
        }
    }

    public let prefix: String
    public let pageLimit: Int
    public let replayTimeoutMilliseconds: Int64
    /// Events held per topic while a gap before them is being filled.
    public let maximumHeldPerTopic: Int

    /// The last `seq` handed to the application, per topic.
    public private(set) var delivered: [String: Int64]
    private var held: [String: [Int64: EventEnvelope]] = [:]
    private var learningHeads: Bool
    private var replaySentAt: Int64?
    private var replayWanted = false

    public init(
        prefix: String, start: StartPosition, pageLimit: Int = 1000,
        replayTimeoutMilliseconds: Int64 = 3000, maximumHeldPerTopic: Int = 50_000
    ) {
        self.prefix = prefix
        self.pageLimit = pageLimit
        self.replayTimeoutMilliseconds = replayTimeoutMilliseconds
        self.maximumHeldPerTopic = maximumHeldPerTopic
        switch start {
        case .beginning:
            delivered = [:]
            learningHeads = false
        case .now:
            delivered = [:]
            learningHeads = true
        case .after(let positions):
            delivered = positions.filter { $0.key.hasPrefix(prefix) }
            learningHeads = false
        }
    }

    /// Whether a replay is awaited.
    public var isReplaying: Bool { replaySentAt != nil }

    /// The first request: the heads (start `.now`) or what was missed since the start position.
    public mutating func start(atMilliseconds now: Int64) -> Output {
        Output(replay: sendReplay(at: now))
    }

    /// A message from the live subscription.
    public mutating func receive(_ message: BusMessage, atMilliseconds now: Int64) -> Output {
        var output = Output()
        switch message {
        case .event(let event):
            guard event.topic.rawValue.hasPrefix(prefix) else { return output }
            if learningHeads {
                hold(event)
                return output
            }
            if accept(event, into: &output.deliver) == .gap { output.replay = requestReplay(at: now) }
        case .heartbeat(let topic, let head):
            guard topic.rawValue.hasPrefix(prefix), !learningHeads else { return output }
            if head > delivered[topic.rawValue, default: 0] { output.replay = requestReplay(at: now) }
        }
        return output
    }

    /// A reply from the replay endpoint (possibly late or repeated: applied idempotently).
    public mutating func receive(_ page: ReplayPage, atMilliseconds now: Int64) -> Output {
        var output = Output()
        replaySentAt = nil
        if learningHeads {
            learningHeads = false
            for (topic, head) in page.heads where topic.hasPrefix(prefix) {
                delivered[topic] = max(delivered[topic, default: 0], head)
            }
        }
        for event in page.events where event.topic.rawValue.hasPrefix(prefix) {
            _ = accept(event, into: &output.deliver)
        }
        releaseHeld(into: &output.deliver)
        let behind = page.heads.contains { topic, head in topic.hasPrefix(prefix) && delivered[topic, default: 0] < head }
        if behind || !held.isEmpty || replayWanted {
            output.replay = sendReplay(at: now)
        }
        return output
    }

    /// The replay endpoint refused the request or could not be reached: try again later.
    public mutating func replayFailed(atMilliseconds now: Int64) -> Output {
        // Keep the request "in flight" so `tick` resends it after the timeout, not at once.
        replaySentAt = now
        return Output()
    }

    /// The clock moved on: resend a replay request that was not answered in time.
    public mutating func tick(atMilliseconds now: Int64) -> Output {
        guard let sentAt = replaySentAt, now - sentAt >= replayTimeoutMilliseconds else { return Output() }
        return Output(replay: sendReplay(at: now))
    }

    // MARK: Internals

    private enum Acceptance { case delivered, duplicate, gap }

    private mutating func accept(_ event: EventEnvelope, into deliveries: inout [EventEnvelope]) -> Acceptance {
        let topic = event.topic.rawValue
        let last = delivered[topic, default: 0]
        if event.seq <= last { return .duplicate }
        guard event.seq == last + 1 else {
            hold(event)
            return .gap
        }
        deliveries.append(event)
        delivered[topic] = event.seq
        releaseHeld(topic, into: &deliveries)
        return .delivered
    }

    private mutating func hold(_ event: EventEnvelope) {
        let topic = event.topic.rawValue
        // Past the bound, drop: replay brings the event back from the database.
        guard held[topic, default: [:]].count < maximumHeldPerTopic else { return }
        held[topic, default: [:]][event.seq] = event
    }

    private mutating func releaseHeld(into deliveries: inout [EventEnvelope]) {
        for topic in held.keys.sorted() { releaseHeld(topic, into: &deliveries) }
    }

    /// Delivers held events of `topic` that are now next, drops those already delivered.
    private mutating func releaseHeld(_ topic: String, into deliveries: inout [EventEnvelope]) {
        guard var pending = held[topic] else { return }
        var last = delivered[topic, default: 0]
        for seq in pending.keys where seq <= last { pending[seq] = nil }
        while let next = pending.removeValue(forKey: last + 1) {
            deliveries.append(next)
            last = next.seq
        }
        delivered[topic] = last == 0 ? delivered[topic] : last
        held[topic] = pending.isEmpty ? nil : pending
    }

    private mutating func requestReplay(at now: Int64) -> ReplayRequest? {
        if replaySentAt != nil {
            replayWanted = true
            return nil
        }
        return sendReplay(at: now)
    }

    private mutating func sendReplay(at now: Int64) -> ReplayRequest {
        replaySentAt = now
        replayWanted = false
        return ReplayRequest(.prefix(prefix, after: delivered), limit: learningHeads ? 0 : pageLimit)
    }
}
