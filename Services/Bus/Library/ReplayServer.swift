import EventBus
import Foundation
import Logging
import Store
import Synchronization
import ZeroMQ

/// The replay ROUTER: answers ``ReplayRequest``s from the outbox.
///
/// Ownership: the ROUTER lives on its own thread, which receives requests and sends the
/// replies that async code leaves in its mailbox; it polls every 5 ms so a reply waits
/// at most that long. The database work happens in async code, one request at a time per
/// worker. `ZMQ_ROUTER_MANDATORY` turns a reply to a vanished client into an error we log
/// instead of a silent drop.
final class ReplayServer: Sendable {
    private struct Request: Sendable {
        var routing: [[UInt8]]
        var body: [UInt8]
    }

    private let endpoint: String
    private let store: ReplayStore
    private let logger: Logger
    private let replies = Mutex<[ZMQFrames]>([])
    private let stopping = Atomic<Bool>(false)

    init(endpoint: String, store: ReplayStore, logger: Logger) {
        self.endpoint = endpoint
        self.store = store
        self.logger = logger
    }

    func run(context: ZMQContext, workers: Int = 4) async throws {
        let (requests, continuation) = AsyncStream<Request>.makeStream(bufferingPolicy: .bufferingOldest(10_000))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await ZMQOwnerThread.run(name: "bus.replay") { try self.serve(context: context, requests: continuation) }
            }
            group.addTask { await self.answerAll(requests, concurrently: workers) }
            try await group.waitForAll()
        }
    }

    /// Ends the ROUTER thread at its next poll.
    func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    /// Answers requests with at most `width` database queries in flight.
    private func answerAll(_ requests: AsyncStream<Request>, concurrently width: Int) async {
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for await request in requests {
                if inFlight == width {
                    await group.next()
                    inFlight -= 1
                }
                group.addTask { self.enqueue(await self.answer(request)) }
                inFlight += 1
            }
        }
    }

    private func answer(_ request: Request) async -> ZMQFrames {
        var reply = request.routing
        do {
            let replay = try ReplayRequest.decode(request.body)
            let (events, heads) = try await store.page(for: replay)
            reply.reserveCapacity(reply.count + events.count * 2 + 1)
            for event in events { reply += event.frames }
            reply.append(ReplayPage.endFrame(heads: heads))
        } catch let error as ReplayError {
            reply.append(ReplayPage.errorFrame(error.description))
        } catch {
            logger.error("replay query failed", metadata: ["error": "\(LoggableError.describe(error))"])
            reply.append(ReplayPage.errorFrame("the bus could not read the event store; try again"))
        }
        return reply
    }

    private func enqueue(_ reply: ZMQFrames) {
        replies.withLock { $0.append(reply) }
    }

    /// The owner thread's loop.
    private func serve(context: ZMQContext, requests: AsyncStream<Request>.Continuation) throws {
        let router = try ZMQSocket(context, type: .router, lingerMilliseconds: 500)
        defer { router.close() }
        try router.setRouterMandatory(true)
        try router.setSendHighWaterMark(100_000)
        try router.setHeartbeat(intervalMilliseconds: 1000, timeoutMilliseconds: 5000)
        try router.bind(endpoint)
        do {
            while !stopping.load(ordering: .relaxed) {
                if try ZMQPoller.pollInput([router], timeoutMilliseconds: 5)[0] {
                    while let frames = try router.receive(wait: false) {
                        guard frames.count >= 2 else { continue }
                        requests.yield(Request(routing: Array(frames.dropLast()), body: frames.last!))
                    }
                }
                for reply in replies.withLock({ queue in defer { queue.removeAll() }; return queue }) {
                    do {
                        try router.send(reply, wait: false)
                    } catch {
                        guard error.code == EHOSTUNREACH else { throw error }
                        logger.debug("replay client left before its reply")
                    }
                }
            }
        } catch {
            if (error as? ZMQError)?.isTerminated == true { return }
            throw error
        }
    }
}
