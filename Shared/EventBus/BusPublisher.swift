import Foundation
import Logging
import Synchronization
import ZeroMQ

/// The relay's PUB socket on its own thread, fed through a queue.
///
/// Ownership: the socket lives on the thread `run` starts; async code only appends to the
/// queue (``publish(_:)``). The PUB is lossy by design (a large `SNDHWM`, never
/// `XPUB_NODROP`): a slow integrator must not stall the city; replay repairs what it drops.
/// ``finish()`` lets the thread send what is queued, then close with a bounded linger.
final class BusPublisher: Sendable {
    /// What waits to be sent: stored events are turned into frames on the publisher's own
    /// thread, in parallel with the relay's next database round trip.
    enum Outgoing: Sendable {
        case events([StoredEvent])
        case messages([ZMQFrames])
    }

    private struct State {
        var queue: [Outgoing] = []
        var finishing = false
    }

    private let state = Mutex(State())
    private let wakeup = DispatchSemaphore(value: 0)
    private let endpoint: String
    private let credentials: BusCredentials?
    private let logger: Logger

    init(endpoint: String, credentials: BusCredentials?, logger: Logger) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.logger = logger
    }

    /// Queues sequenced events for sending, in order.
    func publish(_ events: [StoredEvent]) {
        guard !events.isEmpty else { return }
        enqueue(.events(events))
    }

    /// Queues ready-made messages (heartbeats) for sending, in order.
    func publish(_ messages: [ZMQFrames]) {
        guard !messages.isEmpty else { return }
        enqueue(.messages(messages))
    }

    private func enqueue(_ outgoing: Outgoing) {
        state.withLock { $0.queue.append(outgoing) }
        wakeup.signal()
    }

    /// Sends what is queued, then ends ``run(context:)``.
    func finish() {
        state.withLock { $0.finishing = true }
        wakeup.signal()
    }

    /// Runs the owner thread until ``finish()`` (or the context shuts down).
    func run(context: ZMQContext) async throws {
        try await ZMQOwnerThread.run(name: "bus.publisher") { try self.publishUntilFinished(context: context) }
    }

    /// The owner thread's loop.
    private func publishUntilFinished(context: ZMQContext) throws {
        let socket = try ZMQSocket(context, type: .publisher, lingerMilliseconds: 2000)
        defer { socket.close() }
        try socket.setSendHighWaterMark(1_000_000)
        try socket.setHeartbeat(intervalMilliseconds: 1000, timeoutMilliseconds: 5000)
        try socket.setReconnect(initialMilliseconds: 100, maximumMilliseconds: 2000)
        try socket.authenticate(with: credentials)
        try socket.connect(endpoint)
        var finished = false
        while !finished {
            _ = wakeup.wait(timeout: .now() + .milliseconds(200))
            let (batch, finishing) = takeQueue()
            finished = finishing
            if !send(batch, on: socket) { return }
        }
    }

    private func takeQueue() -> ([Outgoing], Bool) {
        state.withLock { state in
            defer { state.queue.removeAll(keepingCapacity: true) }
            return (state.queue, state.finishing)
        }
    }

    /// Sends without blocking; `false` when the context is shutting down.
    private func send(_ batch: [Outgoing], on socket: ZMQSocket) -> Bool {
        for outgoing in batch {
            switch outgoing {
            case .events(let events):
                for event in events where !send(event.frames, on: socket) { return false }
            case .messages(let messages):
                for message in messages where !send(message, on: socket) { return false }
            }
        }
        return true
    }

    private func send(_ message: ZMQFrames, on socket: ZMQSocket) -> Bool {
        do {
            try socket.send(message, wait: false)
        } catch {
            if error.isTerminated { return false }
            logger.warning("publish failed", metadata: ["error": "\(error)"])
        }
        return true
    }
}
