import EventBus
import Logging
import PostgresNIO
import ServiceLifecycle
import ZeroMQ

/// `shouwang-bus`: the XSUB/XPUB proxy and the replay ROUTER, as one `Service`.
///
/// It holds no state of its own: events live in the outbox, so the bus can be restarted
/// at any time and subscribers recover what passed while it was down through replay.
public struct BusServer: Service {
    public let endpoints: BusEndpoints
    private let client: PostgresClient
    private let logger: Logger

    public init(endpoints: BusEndpoints, client: PostgresClient, logger: Logger) {
        self.endpoints = endpoints
        self.client = client
        self.logger = logger
    }

    public func run() async throws {
        try await ZMQContext.withContext(ioThreads: 2) { context in try await run(context: context) }
    }

    private func run(context: ZMQContext) async throws {
        let proxy = BusProxy(publishEndpoint: endpoints.publish, subscribeEndpoint: endpoints.subscribe, logger: logger)
        let replay = ReplayServer(endpoint: endpoints.replay, store: ReplayStore(client: client, logger: logger), logger: logger)
        try await withTaskCancellationHandler {
            try await serve(proxy: proxy, replay: replay, context: context)
        } onCancel: {
            replay.stop()
            context.shutdown()
        }
    }

    private func serve(proxy: BusProxy, replay: ReplayServer, context: ZMQContext) async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await proxy.run(context: context) }
                group.addTask { try await replay.run(context: context) }
                logger.info(
                    "bus listening",
                    metadata: ["publish": "\(endpoints.publish)", "subscribe": "\(endpoints.subscribe)", "replay": "\(endpoints.replay)"]
                )
                // If either half fails (a port already taken), stop the other and report it.
                do {
                    try await group.next()
                } catch {
                    replay.stop()
                    context.shutdown()
                    throw error
                }
                try await group.waitForAll()
            }
        } onGracefulShutdown: {
            replay.stop()
            context.shutdown()
        }
    }
}
