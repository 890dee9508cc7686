import Foundation
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
///
/// The database is the source of truth, and the live stream is not trusted beyond it:
/// - a live event whose `(topic, seq)` was already delivered or held under another id is an
///   integrity alarm (``Output/alarms``); a held one is dropped and replay settles it, and a
///   replay page that contradicts what was delivered raises the alarm too;
/// - held events that a reply shows cannot exist (beyond the topic's head, or of a topic
///   the database does not know) are dropped;
/// - a reply with no events while more is wanted backs the next request off
///   (100 ms doubling to 5 s) instead of asking again at once;
/// - events are held for at most ``maximumHeldTopics`` topics; the rest come by replay;
/// - hearing nothing live for ``silenceMilliseconds`` (relays send heartbeats every second)
///   asks replay anyway, so a subscription the bus lost still delivers, late, not never.
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
        /// Evidence that the live stream disagrees with the database: log and count them.
        public var alarms: [IntegrityAlarm] = []

        public init(deliver: [EventEnvelope] = [], replay: ReplayRequest? = nil, alarms: [IntegrityAlarm] = []) {
            self.deliver = deliver
            self.replay = replay
            self.alarms = alarms
        }
    }

    /// Two different events claimed the same `(topic, seq)`.
    public struct IntegrityAlarm: Sendable, Equatable, CustomStringConvertible {
        public var topic: String
        public var seq: Int64
        /// The id delivered or held first.
        public var first: UUID
        /// The id that contradicted it.
        public var second: UUID
        /// Whether the first one had already reached the application.
        public var wasDelivered: Bool

        public var description: String {
            "\(topic) #\(seq) arrived as \(first) and as \(second)" + (wasDelivered ? " after the first was delivered" : "")
        }
    }

    public let prefix: String
    public let pageLimit: Int
    public let replayTimeoutMilliseconds: Int64
    /// Events held per topic while a gap before them is being filled.
    public let maximumHeldPerTopic: Int
    /// Topics with held events at once.
    public let maximumHeldTopics: Int
    /// Live silence after which replay is asked anyway.
    public let silenceMilliseconds: Int64
    /// Delivered ids remembered per topic, to recognise a contradicting repeat.
    static let rememberedPerTopic = 256
    static let initialBackoffMilliseconds: Int64 = 100
    static let maximumBackoffMilliseconds: Int64 = 5000

    /// The last `seq` handed to the application, per topic.
    public private(set) var delivered: [String: Int64]
    private var held: [String: [Int64: EventEnvelope]] = [:]
    private var learningHeads: Bool
    private var replaySentAt: Int64?
    private var replayWanted = false
    /// A replay put off by backoff, due at this time.
    private var replayDueAt: Int64?
    private var backoff: Int64 = 0
    /// Ids of the last delivered events per topic, by seq.
    private var recentIds: [String: [Int64: UUID]] = [:]
    /// When the live stream was last heard (or the subscriber started).
    private var lastHeardAt: Int64?

    public init(
        prefix: String, start: StartPosition, pageLimit: Int = 1000,
        replayTimeoutMilliseconds: Int64 = 3000, maximumHeldPerTopic: Int = 50_000, maximumHeldTopics: Int = 1000,
        silenceMilliseconds: Int64 = 10_000
    ) {
        self.silenceMilliseconds = silenceMilliseconds
        self.prefix = prefix
        self.pageLimit = pageLimit
        self.replayTimeoutMilliseconds = replayTimeoutMilliseconds
        self.maximumHeldPerTopic = maximumHeldPerTopic
        self.maximumHeldTopics = maximumHeldTopics
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

    /// Whether a replay is awaited (or put off by backoff).
    public var isReplaying: Bool { replaySentAt != nil || replayDueAt != nil }

    /// The first request: the heads (start `.now`) or what was missed since the start position.
    public mutating func start(atMilliseconds now: Int64) -> Output {
        lastHeardAt = now
        return Output(replay: sendReplay(at: now))
    }

    /// A message from the live subscription.
    public mutating func receive(_ message: BusMessage, atMilliseconds now: Int64) -> Output {
        var output = Output()
        lastHeardAt = now
        switch message {
        case .event(let event):
            guard event.topic.rawValue.hasPrefix(prefix) else { return output }
            if learningHeads {
                hold(event, alarms: &output.alarms)
                return output
            }
            switch accept(event, into: &output.deliver, alarms: &output.alarms) {
            case .gap, .contradicted: output.replay = requestReplay(at: now)
            case .delivered, .duplicate: break
            }
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
            // What the database says wins over anything held from the live stream.
            if held[event.topic.rawValue]?[event.seq].map({ $0.id != event.id }) == true { held[event.topic.rawValue]?[event.seq] = event }
            _ = accept(event, into: &output.deliver, alarms: &output.alarms)
        }
        releaseHeld(into: &output.deliver)
        dropImpossibleHeld(heads: page.heads)
        let behind = page.heads.contains { topic, head in topic.hasPrefix(prefix) && delivered[topic, default: 0] < head }
        if behind || !held.isEmpty || replayWanted {
            if !page.events.contains(where: { $0.topic.rawValue.hasPrefix(prefix) }) {
                // The event store had nothing for us, yet we still want more: ask again
                // later, not in a tight loop. (A page of events the live stream delivered
                // meanwhile is progress: the store is answering.)
                backoff = min(Self.maximumBackoffMilliseconds, max(Self.initialBackoffMilliseconds, backoff * 2))
                replayDueAt = now + backoff
                replayWanted = false
            } else {
                backoff = 0
                output.replay = sendReplay(at: now)
            }
        } else {
            backoff = 0
        }
        return output
    }

    /// The replay endpoint refused the request or could not be reached: try again later.
    public mutating func replayFailed(atMilliseconds now: Int64) -> Output {
        // Keep the request "in flight" so `tick` resends it after the timeout, not at once.
        replaySentAt = now
        return Output()
    }

    /// The clock moved on: send a replay that backoff put off, or resend one that was not
    /// answered in time.
    public mutating func tick(atMilliseconds now: Int64) -> Output {
        if let due = replayDueAt {
            return now >= due ? Output(replay: sendReplay(at: now)) : Output()
        }
        if let sentAt = replaySentAt {
            return now - sentAt >= replayTimeoutMilliseconds ? Output(replay: sendReplay(at: now)) : Output()
        }
        if let heard = lastHeardAt, now - heard >= silenceMilliseconds {
            lastHeardAt = now
            return Output(replay: sendReplay(at: now))
        }
        return Output()
    }

    // MARK: Internals

    private enum Acceptance { case delivered, duplicate, gap, contradicted }

    private mutating func accept(
        _ event: EventEnvelope, into deliveries: inout [EventEnvelope], alarms: inout [IntegrityAlarm]
    ) -> Acceptance {
        let topic = event.topic.rawValue
        let last = delivered[topic, default: 0]
        if event.seq <= last {
            if let first = recentIds[topic]?[event.seq], first != event.id {
                alarms.append(IntegrityAlarm(topic: topic, seq: event.seq, first: first, second: event.id, wasDelivered: true))
            }
            return .duplicate
        }
        guard event.seq == last + 1 else {
            return hold(event, alarms: &alarms) ? .gap : .contradicted
        }
        deliver(event, into: &deliveries)
        releaseHeld(topic, into: &deliveries)
        return .delivered
    }

    private mutating func deliver(_ event: EventEnvelope, into deliveries: inout [EventEnvelope]) {
        let topic = event.topic.rawValue
        deliveries.append(event)
        delivered[topic] = event.seq
        var recent = recentIds[topic, default: [:]]
        recent[event.seq] = event.id
        recent[event.seq - Int64(Self.rememberedPerTopic)] = nil
        recentIds[topic] = recent
    }

    /// Holds `event` until the gap before it is filled; `false` when another event already
    /// held that place (both are dropped: replay settles it).
    @discardableResult
    private mutating func hold(_ event: EventEnvelope, alarms: inout [IntegrityAlarm]) -> Bool {
        let topic = event.topic.rawValue
        if let first = held[topic]?[event.seq] {
            guard first.id != event.id else { return true }
            alarms.append(IntegrityAlarm(topic: topic, seq: event.seq, first: first.id, second: event.id, wasDelivered: false))
            held[topic]?[event.seq] = nil
            if held[topic]?.isEmpty == true { held[topic] = nil }
            return false
        }
        // Past the bounds, drop: replay brings the event back from the database.
        guard held[topic] != nil || held.count < maximumHeldTopics else { return true }
        guard held[topic, default: [:]].count < maximumHeldPerTopic else { return true }
        held[topic, default: [:]][event.seq] = event
        return true
    }

    /// Drops held events that a reply's heads show the database does not have: beyond their
    /// topic's head, or of a topic it does not know. (A legitimate event newer than the
    /// reply is fetched again after the next heartbeat.)
    private mutating func dropImpossibleHeld(heads: [String: Int64]) {
        for (topic, events) in held {
            let head = heads[topic] ?? 0
            let possible = events.filter { $0.key <= head }
            held[topic] = possible.isEmpty ? nil : possible
        }
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
            deliver(next, into: &deliveries)
            last = next.seq
        }
        held[topic] = pending.isEmpty ? nil : pending
    }

    private mutating func requestReplay(at now: Int64) -> ReplayRequest? {
        if replaySentAt != nil || replayDueAt != nil {
            replayWanted = true
            return nil
        }
        return sendReplay(at: now)
    }

    private mutating func sendReplay(at now: Int64) -> ReplayRequest {
        replaySentAt = now
        replayDueAt = nil
        replayWanted = false
        return ReplayRequest(.prefix(prefix, after: delivered), limit: learningHeads ? 0 : pageLimit)
    }
}
