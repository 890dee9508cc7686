import EventBus
import Foundation
import Logging
import Metrics
import Synchronization
import ZeroMQ

/// The live half of the bus: relays' PUB sockets connect to the XSUB side, subscribers to
/// the XPUB side, and this loop forwards — checking every message and subscription
/// against the key that sent it, which is why it is not `zmq_proxy`.
///
/// - A message is forwarded only when it has two frames and its topic (first frame) is in
///   the stream of the sender's publisher or service key. Anything else is dropped and
///   counted, so a stolen integrator key or another stream's relay cannot inject events.
/// - The XPUB runs with `ZMQ_XPUB_MANUAL`: a subscription takes effect only when this loop
///   applies it, which it does when the subscriber's key may read that prefix.
/// - When a key is revoked, the XPUB is closed and bound again, cutting every live
///   connection; subscribers reconnect (their new handshake meets the new list) and
///   recover the gap by replay.
///
/// Both sides keep large high-water marks and stay lossy (no `XPUB_NODROP`): a slow
/// integrator loses live messages, never stalls the city, and recovers them by replay.
///
/// Ownership: both sockets live on the thread ``run(context:)`` starts, for its whole life.
final class BusForwarder: Sendable {
    private let publishEndpoint: String
    private let subscribeEndpoint: String
    private let access: BusAccess
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)

    init(publishEndpoint: String, subscribeEndpoint: String, access: BusAccess, logger: Logger) {
        self.publishEndpoint = publishEndpoint
        self.subscribeEndpoint = subscribeEndpoint
        self.access = access
        self.logger = logger
    }

    func run(context: ZMQContext) async throws {
        try await ZMQOwnerThread.run(name: "bus.forwarder") { try self.forward(context: context) }
    }

    /// Ends the loop at its next poll (within 100 ms).
    func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    /// The owner thread's loop.
    private func forward(context: ZMQContext) throws {
        var frontend = try openFrontend(context)
        defer { frontend.close() }
        var backend = try openBackend(context)
        defer { backend.close() }

        var checks = PublishChecks(access: access)
        let forwarded = Counter(label: "shouwang_bus_messages_forwarded_total")
        do {
            while !stopping.load(ordering: .relaxed) {
                let ready = try ZMQPoller.pollInput([frontend, backend], timeoutMilliseconds: 100)
                if checks.refresh(), !access.takeWithdrawn().isEmpty {
                    // Both sides: a revoked publisher must not keep its connection either.
                    logger.notice("a bus key was revoked: cutting live connections so every client authenticates again")
                    frontend.close()
                    frontend = try openFrontend(context)
                    backend.close()
                    backend = try openBackend(context)
                    continue
                }
                if ready[0] {
                    // Every message read counts toward the batch, refused ones too, so a flood
                    // of refused messages cannot keep this loop from subscriptions and revocations.
                    var read = 0
                    var sent = 0
                    var refusedByKey: [String: Int] = [:]
                    while read < 10_000, let message = try frontend.receiveMessage(wait: false) {
                        read += 1
                        guard checks.mayForward(message) else {
                            refusedByKey[message.userId ?? "-", default: 0] += 1
                            refused(message)
                            continue
                        }
                        try backend.send(message.frames, wait: false)
                        sent += 1
                    }
                    forwarded.increment(by: sent)
                    for (key, count) in refusedByKey {
                        Counter(label: "shouwang_bus_messages_refused_total", dimensions: [("key", key)]).increment(by: count)
                    }
                }
                if ready[1] {
                    var read = 0
                    while read < 1000, let message = try backend.receiveMessage(wait: false) {
                        read += 1
                        guard try subscription(message, on: backend, checks: checks) else {
                            // libzmq 4.3 pairs each subscription it queues with the peer that sent
                            // it, but queues a data message with no peer: from here on it would
                            // apply subscriptions to the wrong subscribers. Start afresh.
                            logger.warning(
                                "a subscriber sent a message that is not a subscription; cutting live connections",
                                metadata: ["key": "\(message.userId ?? "-")"])
                            Counter(label: "shouwang_bus_subscriber_protocol_errors_total").increment()
                            backend.close()
                            backend = try openBackend(context)
                            break
                        }
                    }
                }
            }
        } catch let error as ZMQError {
            if error.isTerminated { return }
            throw error
        }
    }

    /// The XSUB side, where relays publish.
    private func openFrontend(_ context: ZMQContext) throws -> ZMQSocket {
        let frontend = try ZMQSocket(context, type: .extendedSubscriber, lingerMilliseconds: 0)
        try frontend.setReceiveHighWaterMark(1_000_000)
        try frontend.setMaximumMessageSize(bytes: 1 << 20)
        try frontend.setHeartbeat(intervalMilliseconds: 1000, timeoutMilliseconds: 5000)
        try secure(frontend, as: .publish)
        try bind(frontend, publishEndpoint)
        // Everything upstream: filtering happens per subscriber on the XPUB side.
        try frontend.send([[1]])
        return frontend
    }

    /// The XPUB side, where subscribers connect.
    private func openBackend(_ context: ZMQContext) throws -> ZMQSocket {
        let backend = try ZMQSocket(context, type: .extendedPublisher, lingerMilliseconds: 0)
        try backend.setSendHighWaterMark(1_000_000)
        // Subscribers send only subscriptions; the handshake needs a few hundred bytes.
        try backend.setMaximumMessageSize(bytes: 4096)
        try backend.setHeartbeat(intervalMilliseconds: 1000, timeoutMilliseconds: 5000)
        try backend.setManualSubscriptions(true)
        try secure(backend, as: .subscribe)
        try bind(backend, subscribeEndpoint)
        return backend
    }

    /// Binds, again after a revocation (the old listener closes asynchronously, so the port
    /// may be busy for a moment).
    private func bind(_ socket: ZMQSocket, _ endpoint: String) throws {
        for attempt in 1... {
            do {
                try socket.bind(endpoint)
                return
            } catch {
                // Up to 10 s: on a loaded machine libzmq's I/O thread may take seconds to close
                // the old listener, and giving up here ends the bus.
                guard error.code == EADDRINUSE, attempt < 500 else { throw error }
            }
            usleep(20_000)
        }
    }

    private func secure(_ socket: ZMQSocket, as role: BusServerSecurity.Socket) throws {
        guard let security = access.security else { return }
        try socket.makeCurveServer(secretKey: security.keys.secretKey, zapDomain: role.rawValue)
        try socket.setHandshakeInterval(milliseconds: BusServerSecurity.handshakeMilliseconds)
    }

    /// A (un)subscription from a subscriber, applied for that subscriber when its key may
    /// read it; `false` when the message is not a subscription at all.
    private func subscription(_ message: ZMQMessage, on backend: ZMQSocket, checks: PublishChecks) throws -> Bool {
        guard message.frames.count == 1, let first = message.frames[0].first, first <= 1 else { return false }
        let prefix = String(decoding: message.frames[0].dropFirst(), as: UTF8.self)
        if first == 0 {
            try backend.unsubscribe(prefix)
            return true
        }
        guard checks.mayRead(prefix: prefix, userId: message.userId) else {
            Counter(label: "shouwang_bus_subscriptions_refused_total").increment()
            access.refusals.warning(
                "bus refused a subscription outside the key's grant",
                metadata: ["key": "\(message.userId ?? "-")", "prefix": "\(Self.printable(message.frames[0].dropFirst()))"],
                atMilliseconds: MonotonicClock.milliseconds()
            )
            return true
        }
        try backend.subscribe(prefix)
        return true
    }

    private func refused(_ message: ZMQMessage) {
        access.refusals.warning(
            "bus dropped a message its key may not publish",
            metadata: ["key": "\(message.userId ?? "-")", "topic": "\(Self.printable(message.frames.first ?? []))"],
            atMilliseconds: MonotonicClock.milliseconds()
        )
    }

    /// At most 120 bytes of what a client sent, non-printable bytes as `?`: safe for a log line.
    static func printable(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes.prefix(120).map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}

/// The forwarder thread's own copy of the key ring, refreshed when the access generation
/// moves, with the last sender's grant cached: the per-message check is one string compare
/// and one prefix compare.
private struct PublishChecks {
    let access: BusAccess
    private var generation = -1
    private var ring: BusKeyRing?
    private var lastUserId: String?
    private var lastGrant: BusKeyGrant?

    init(access: BusAccess) {
        self.access = access
        _ = refresh()
    }

    /// Takes the current ring if it changed; returns whether it did.
    mutating func refresh() -> Bool {
        let current = access.generation
        guard current != generation else { return false }
        generation = current
        ring = access.ring
        lastUserId = nil
        lastGrant = nil
        return true
    }

    mutating func mayForward(_ message: ZMQMessage) -> Bool {
        guard message.frames.count == 2 else { return false }
        guard access.security != nil else { return true }
        if message.userId != lastUserId || lastUserId == nil {
            lastUserId = message.userId
            lastGrant = ring?[name: message.userId]
        }
        return lastGrant?.mayPublish(topic: message.frames[0]) ?? false
    }

    func mayRead(prefix: String, userId: String?) -> Bool {
        guard access.security != nil else { return true }
        return ring?[name: userId]?.mayRead(prefix: prefix) ?? false
    }
}
