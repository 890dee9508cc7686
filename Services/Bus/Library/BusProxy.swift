import Logging
import ZeroMQ

/// The live half of the bus: relays' PUB sockets connect to the XSUB side, subscribers to
/// the XPUB side, and libzmq forwards messages one way and subscriptions the other.
///
/// Both sides keep large high-water marks and stay lossy (no `XPUB_NODROP`): a slow
/// integrator loses live messages, never stalls the city, and recovers them by replay.
/// The proxy runs on its own thread until the context shuts down.
struct BusProxy: Sendable {
    let publishEndpoint: String
    let subscribeEndpoint: String
    let logger: Logger

    func run(context: ZMQContext) async throws {
        try await ZMQOwnerThread.run(name: "bus.proxy") {
            let frontend = try ZMQSocket(context, type: .extendedSubscriber, lingerMilliseconds: 0)
            defer { frontend.close() }
            let backend = try ZMQSocket(context, type: .extendedPublisher, lingerMilliseconds: 0)
            defer { backend.close() }
            try frontend.setReceiveHighWaterMark(1_000_000)
            try backend.setSendHighWaterMark(1_000_000)
            try frontend.setHeartbeat(intervalMilliseconds: 1000, timeoutMilliseconds: 5000)
            try backend.setHeartbeat(intervalMilliseconds: 1000, timeoutMilliseconds: 5000)
            try frontend.bind(publishEndpoint)
            try backend.bind(subscribeEndpoint)
            try ZMQProxy.run(frontend: frontend, backend: backend)
        }
    }
}
