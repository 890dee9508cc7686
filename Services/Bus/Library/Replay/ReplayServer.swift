import EventBus
import Foundation
import Logging
import Metrics
import Store
import Synchronization
import ZeroMQ

/// The replay ROUTER: answers ``ReplayRequest``s from the outbox, to authenticated keys,
/// within their grants, fairly.
///
/// Ownership: the ROUTER lives on its own thread. That thread reads requests, checks them
/// (size, shape, the key's grant), answers pings and refusals itself, and hands the rest
/// to ``ReplayScheduler`` (behind a `Mutex`, shared with async code). One async dispatcher
/// starts database work as the scheduler allows and leaves replies in a mailbox the thread
/// sends from; the thread polls every 5 ms, so a reply waits at most that long.
/// `ZMQ_ROUTER_MANDATORY` turns a reply to a vanished client into an error we log instead
/// of a silent drop; `ZMQ_MAXMSGSIZE` drops a client that sends an oversized request.
final class ReplayServer: Sendable {
    private struct Job: Sendable {
        var routing: [[UInt8]]
        var request: ReplayRequest
        var receivedAt: UInt64
    }

    /// The largest request frame accepted; a prefix request naming hundreds of topics fits.
    static let maximumRequestBytes: Int64 = 128 * 1024

    private let endpoint: String
    private let store: ReplayStore
    private let access: BusAccess
    private let logger: Logger
    private let replies = Mutex<[ZMQFrames]>([])
    private let scheduler: Mutex<ReplayScheduler<Job>>
    private let stopping = Atomic<Bool>(false)
    private let depth = Gauge(label: "shouwang_bus_replay_queue_depth")
    private let latency = Timer(label: "shouwang_bus_replay_duration_seconds", preferredDisplayUnit: .seconds)

    init(endpoint: String, store: ReplayStore, access: BusAccess, limits: ReplayLimits = .init(), logger: Logger) {
        self.endpoint = endpoint
        self.store = store
        self.access = access
        self.logger = logger
        self.scheduler = Mutex(ReplayScheduler(limits: limits))
    }

    func run(context: ZMQContext) async throws {
        let (signals, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { signal.finish() }
                try await ZMQOwnerThread.run(name: "bus.replay") { try self.serve(context: context, signal: signal) }
            }
            group.addTask { await self.dispatch(signals, signal: signal) }
            try await group.waitForAll()
        }
    }

    /// Ends the ROUTER thread at its next poll.
    func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    /// Starts jobs whenever the scheduler lets one go: on a new request and on a finished one.
    private func dispatch(_ signals: AsyncStream<Void>, signal: AsyncStream<Void>.Continuation) async {
        await withTaskGroup(of: Void.self) { group in
            for await _ in signals {
                while let (key, job) = scheduler.withLock({ $0.next() }) {
                    group.addTask {
                        let reply = await self.answer(job)
                        self.replies.withLock { $0.append(reply) }
                        self.scheduler.withLock { $0.finished(key: key) }
                        signal.yield()
                    }
                }
                depth.record(scheduler.withLock { $0.depth })
            }
        }
    }

    private func answer(_ job: Job) async -> ZMQFrames {
        var reply = job.routing
        do {
            let (events, heads) = try await store.page(for: job.request)
            reply.reserveCapacity(reply.count + events.count * 2 + 1)
            for event in events { reply += event.frames }
            reply.append(ReplayPage.endFrame(heads: heads))
        } catch {
            logger.error("replay query failed", metadata: ["error": "\(LoggableError.describe(error))"])
            reply.append(ReplayPage.errorFrame("the bus could not read the event store; try again"))
        }
        latency.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - job.receivedAt))
        return reply
    }

    /// The owner thread's loop.
    private func serve(context: ZMQContext, signal: AsyncStream<Void>.Continuation) throws {
        let router = try ZMQSocket(context, type: .router, lingerMilliseconds: 500)
        defer { router.close() }
        try router.setRouterMandatory(true)
        // Replies are whole pages: a client that never reads its replies holds at most this many.
        try router.setSendHighWaterMark(64)
        try router.setMaximumMessageSize(bytes: Self.maximumRequestBytes)
        try router.setHeartbeat(intervalMilliseconds: 1000, timeoutMilliseconds: 5000)
        if let security = access.security {
            try router.makeCurveServer(secretKey: security.keys.secretKey, zapDomain: BusServerSecurity.Socket.replay.rawValue)
            try router.setHandshakeInterval(milliseconds: BusServerSecurity.handshakeMilliseconds)
        }
        try router.bind(endpoint)
        do {
            while !stopping.load(ordering: .relaxed) {
                if try ZMQPoller.pollInput([router], timeoutMilliseconds: 5)[0] {
                    var received = 0
                    while received < 100, let message = try router.receiveMessage(wait: false) {
                        received += 1
                        guard message.frames.count >= 2 else { continue }
                        if let refusal = admit(message, signal: signal) {
                            send(Array(message.frames.dropLast()) + [ReplayPage.errorFrame(refusal)], on: router)
                        }
                    }
                }
                for reply in replies.withLock({ queue in
                    defer { queue.removeAll() }
                    return queue
                }) {
                    send(reply, on: router)
                }
            }
        } catch {
            if error.isTerminated { return }
            throw error
        }
    }

    /// Checks a request and queues it; returns the reason when it is refused. Pings are
    /// answered here, with an empty page.
    private func admit(_ message: ZMQMessage, signal: AsyncStream<Void>.Continuation) -> String? {
        let routing = Array(message.frames.dropLast())
        let request: ReplayRequest
        do {
            request = try ReplayRequest.decode(message.frames.last!)
        } catch {
            Self.countRefusal("malformed")
            return error.description
        }
        let key: String
        let role: BusKeyGrant.Role
        if access.security == nil {
            (key, role) = ("anonymous", .service)
        } else {
            guard let grant = access.ring?[name: message.userId] else { return "this key is not (or no longer) allowed on the bus" }
            if let prefix = request.readPrefix, !grant.mayRead(prefix: prefix) {
                Self.countRefusal("not-granted")
                access.refusals.warning(
                    "replay refused outside the key's grant", metadata: ["key": "\(grant.name)", "prefix": "\(prefix)"],
                    atMilliseconds: MonotonicClock.milliseconds()
                )
                return "key \(grant.name) may not read \"\(prefix)\""
            }
            // An HTTP event stream reads as its integrator (BusAccess.streamCredentials): one budget for both.
            let owner =
                grant.name.hasSuffix(BusAccess.streamKeySuffix) ? String(grant.name.dropLast(BusAccess.streamKeySuffix.count)) : grant.name
            (key, role) = (owner, grant.role)
        }
        if request.scope == .ping {
            replies.withLock { $0.append(routing + [ReplayPage.endFrame(heads: [:])]) }
            return nil
        }
        let job = Job(routing: routing, request: request, receivedAt: DispatchTime.now().uptimeNanoseconds)
        switch scheduler.withLock({ $0.submit(job, key: key, role: role, atMilliseconds: MonotonicClock.milliseconds()) }) {
        case .queued:
            signal.yield()
            return nil
        case .refused(let reason, let wait):
            Self.countRefusal("busy")
            return wait > 0 ? "\(reason); retry in \(wait) ms" : reason
        }
    }

    /// `shouwang_bus_replay_refused_total{reason}`: malformed, not-granted or busy.
    private static func countRefusal(_ reason: String) {
        Counter(label: "shouwang_bus_replay_refused_total", dimensions: [("reason", reason)]).increment()
    }

    private func send(_ reply: ZMQFrames, on router: ZMQSocket) {
        do {
            try router.send(reply, wait: false)
        } catch {
            logger.debug("replay client left before its reply", metadata: ["error": "\(error)"])
        }
    }
}
