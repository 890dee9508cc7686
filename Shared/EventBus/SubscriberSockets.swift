import Logging
import Models
import Synchronization
import ZeroMQ

/// What the subscriber's socket thread reports to its async side.
enum SubscriberInput: Sendable {
    case live([BusMessage])
    case replay(ReplayPage)
    case replayRefused(String)
    case tick
}

/// The subscriber's SUB and replay DEALER sockets, on one owner thread.
///
/// Ownership: both sockets are created, used and closed by the thread in ``run(context:to:)``.
/// Async code talks to it only through ``request(_:)`` (a one-slot mailbox: only the newest
/// replay request matters) and ``stop()``. Inputs flow out through an `AsyncStream` that
/// drops the newest when full: live messages dropped there come back through replay.
final class SubscriberSockets: Sendable {
    private let configuration: SubscriberConfiguration
    private let logger: Logger
    private let pendingRequest = Mutex<ReplayRequest?>(nil)
    private let stopping = Atomic<Bool>(false)

    init(configuration: SubscriberConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Sends `request` as soon as the replay endpoint is connected.
    func request(_ request: ReplayRequest) {
        pendingRequest.withLock { $0 = request }
    }

    /// Ends the thread at its next poll (within 50 ms).
    func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    /// The owner thread's loop; returns on ``stop()`` or when the context shuts down.
    func run(context: ZMQContext, to inputs: AsyncStream<SubscriberInput>.Continuation) throws {
        let live = try ZMQSocket(context, type: .subscriber, lingerMilliseconds: 0)
        defer { live.close() }
        try live.setReceiveHighWaterMark(1_000_000)
        try live.setHeartbeat(intervalMilliseconds: 1000, timeoutMilliseconds: 5000)
        try live.setReconnect(initialMilliseconds: 100, maximumMilliseconds: 2000)
        try live.authenticate(with: configuration.endpoints.credentials)
        try live.connect(configuration.endpoints.subscribe)
        try live.subscribe(configuration.prefix)

        let replay = try ZMQSocket(context, type: .dealer, lingerMilliseconds: 0)
        defer { replay.close() }
        try replay.setImmediate(true)
        try replay.setHeartbeat(intervalMilliseconds: 1000, timeoutMilliseconds: 5000)
        try replay.setReconnect(initialMilliseconds: 100, maximumMilliseconds: 2000)
        try replay.authenticate(with: configuration.endpoints.credentials)
        try replay.connect(configuration.endpoints.replay)

        var lastTick = MonotonicClock.milliseconds()
        do {
            while !stopping.load(ordering: .relaxed) {
                let ready = try ZMQPoller.pollInput([live, replay], timeoutMilliseconds: 50)
                if ready[0] { inputs.yield(.live(try drainLive(live))) }
                if ready[1] { try drainReplies(replay, to: inputs) }
                try sendPendingRequest(on: replay)
                let now = MonotonicClock.milliseconds()
                if now - lastTick >= 200 {
                    inputs.yield(.tick)
                    lastTick = now
                }
            }
        } catch let error as ZMQError {
            if error.isTerminated { return }
            throw error
        }
    }

    private func drainLive(_ socket: ZMQSocket) throws -> [BusMessage] {
        var messages: [BusMessage] = []
        while messages.count < 2000, let frames = try socket.receive(wait: false) {
            guard frames.count == 2 else { continue }
            do {
                let message = try BusMessage.decode(frames[1])
                // The bus checks the topic frame against the sender's key; the envelope must agree with it.
                guard frames[0].elementsEqual(message.topic.rawValue.utf8) else {
                    logger.error(
                        "dropped a bus message whose envelope names another topic than its frame",
                        metadata: ["topic": "\(String(decoding: frames[0].prefix(120), as: UTF8.self))"])
                    continue
                }
                messages.append(message)
            } catch {
                logger.warning(
                    "dropped an unreadable bus message", metadata: ["topic": "\(String(decoding: frames[0].prefix(120), as: UTF8.self))"])
            }
        }
        return messages
    }

    private func drainReplies(_ socket: ZMQSocket, to inputs: AsyncStream<SubscriberInput>.Continuation) throws {
        while let frames = try socket.receive(wait: false) {
            guard frames.first?.isEmpty == true else { continue }
            do {
                inputs.yield(.replay(try ReplayPage.decode(Array(frames.dropFirst()))))
            } catch {
                inputs.yield(.replayRefused("\(error)"))
            }
        }
    }

    private func sendPendingRequest(on socket: ZMQSocket) throws {
        guard let request = pendingRequest.withLock({ $0 }) else { return }
        // With ZMQ_IMMEDIATE nothing is queued to a bus that is not connected: keep it for later.
        guard try socket.send([[], request.encoded()], wait: false) else { return }
        pendingRequest.withLock { if $0 == request { $0 = nil } }
    }
}
