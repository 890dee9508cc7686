import Logging
import ServiceLifecycle
import Synchronization

/// Whether this replica is leaving: set at the start of a graceful shutdown, read by
/// `/readyz`, which then answers 503 so balancers stop sending new requests.
public final class DrainSignal: Sendable {
    private let state = Atomic<Bool>(false)

    public init() {}

    public var isDraining: Bool { state.load(ordering: .relaxed) }

    func begin() { state.store(true, ordering: .relaxed) }
}

/// The lame-duck period of a graceful shutdown: for `period` the replica keeps serving
/// everything while `/readyz` says 503, so a balancer takes it out of rotation *before* its
/// listener closes. Without it a balancer reuses keep-alive connections the replica is
/// closing and a request without an Idempotency-Key can fail (a 502 or a reset).
///
/// Placed after the application in the service group, so shutdown reaches it first: the
/// HTTP server is asked to stop only when this has returned.
public struct Drain: Service {
    let signal: DrainSignal
    let period: Duration
    let logger: Logger

    public init(signal: DrainSignal, period: Duration, logger: Logger) {
        self.signal = signal
        self.period = period
        self.logger = logger
    }

    public func run() async throws {
        // Until shutdown; cancellation (a failing sibling) ends it at once.
        try? await gracefulShutdown()
        guard !Task.isCancelled, period > .zero else { return }
        signal.begin()
        logger.notice("draining: /readyz answers 503 while requests are still served", metadata: ["seconds": "\(period)"])
        try? await Task.sleep(for: period)
    }
}
