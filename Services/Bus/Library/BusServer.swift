import EventBus
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import ZeroMQ

/// `shouwang-bus`: the ZAP handler, the live forwarder and the replay ROUTER, as one `Service`.
///
/// It holds no state of its own beyond the key list: events live in the outbox, so the bus
/// can be restarted at any time and subscribers recover what passed while it was down
/// through replay.
///
/// With CURVE on (the default) the ZAP handler is bound before any socket that relies on
/// it, and if it ends, everything ends: a CURVE socket without its handler would let every
/// key in.
public struct BusServer: Service {
    public let endpoints: BusEndpoints
    public let access: BusAccess
    private let client: PostgresClient
    private let state = ServerState()
    private let logger: Logger

    public init(endpoints: BusEndpoints, client: PostgresClient, access: BusAccess, logger: Logger) {
        self.endpoints = endpoints
        self.client = client
        self.access = access
        self.logger = logger
    }

    public func run() async throws {
        try await ZMQContext.withContext(ioThreads: 2) { context in try await run(context: context) }
    }

    private func run(context: ZMQContext) async throws {
        let zap = ZAPHandler()
        let forwarder = BusForwarder(
            publishEndpoint: endpoints.publish, subscribeEndpoint: endpoints.subscribe, access: access, logger: logger)
        let replay = ReplayServer(
            endpoint: endpoints.replay, store: ReplayStore(client: client, logger: logger), access: access, logger: logger)
        let stopAll: @Sendable () -> Void = { [state] in
            state.stopping.store(true, ordering: .relaxed)
            zap.stop()
            forwarder.stop()
            replay.stop()
            context.shutdown()
        }
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    if access.security != nil {
                        let (bound, signalBound) = AsyncStream<Void>.makeStream()
                        group.addTask {
                            defer { signalBound.finish() }
                            try await zap.run(context: context, bound: { signalBound.yield() }, decide: access.decide)
                            // Ending on its own, not because the bus stops, would leave CURVE sockets without a gatekeeper.
                            if !state.stopping.load(ordering: .relaxed) { throw BusStopped("the ZAP handler stopped") }
                        }
                        var iterator = bound.makeAsyncIterator()
                        guard await iterator.next() != nil else {
                            try await group.next()
                            throw BusStopped("the ZAP handler could not start")
                        }
                    } else {
                        logger.warning(
                            "the bus runs WITHOUT CURVE (SHOUWANG_BUS_INSECURE): anyone who reaches its ports can publish and read")
                    }
                    group.addTask { try await forwarder.run(context: context) }
                    group.addTask { try await replay.run(context: context) }
                    logger.info(
                        "bus listening",
                        metadata: [
                            "publish": "\(endpoints.publish)", "subscribe": "\(endpoints.subscribe)", "replay": "\(endpoints.replay)",
                            "curve": "\(access.security != nil)",
                        ]
                    )
                    state.listening.store(true, ordering: .relaxed)
                    // If any part fails (a port already taken), stop the others and report it.
                    do {
                        try await group.next()
                    } catch {
                        state.listening.store(false, ordering: .relaxed)
                        stopAll()
                        throw error
                    }
                    state.listening.store(false, ordering: .relaxed)
                    stopAll()
                    try await group.waitForAll()
                }
            } onGracefulShutdown: {
                stopAll()
            }
        } onCancel: {
            stopAll()
        }
    }

    /// Whether every socket is bound and serving.
    public var isListening: Bool { state.listening.load(ordering: .relaxed) }
}

/// A part of the bus ended, so the whole bus stops rather than serve half-secured.
struct BusStopped: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What the server shares with its readiness check.
private final class ServerState: Sendable {
    let listening = Atomic<Bool>(false)
    let stopping = Atomic<Bool>(false)
}
