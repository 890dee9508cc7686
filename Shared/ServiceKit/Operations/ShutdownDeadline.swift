import Dispatch
import Foundation
import Logging

/// Bounds a graceful shutdown: from the first SIGTERM or SIGINT, the process has `grace` to
/// finish what it holds; then it says so and exits (status 75, "try again").
///
/// Why: Hummingbird's graceful shutdown waits for every request in flight, and a request can
/// wait forever — a client that never sends the body it announced, or a query PostgresNIO
/// 1.33 wrote to a connection the database had just dropped (never answered, deaf to
/// cancellation; see `OutboxRelay.checkOpen`). After a database crash that kept replicas
/// alive until an orchestrator's SIGKILL. Exiting loses nothing: the open transaction rolls
/// back, and the client resends with the same Idempotency-Key.
///
/// The timer runs on a Dispatch queue, not in the service group, so nothing it waits for
/// can hold it up. Set `grace` below the orchestrator's own (compose and Kubernetes give 30 s).
public final class ShutdownDeadline {
    private let sources: [any DispatchSourceSignal]

    /// Arms the deadline; keep the returned value alive for the process's life.
    public init(grace: Duration, logger: Logger) {
        let queue = DispatchQueue(label: "shouwang.shutdown-deadline")
        let seconds = Double(grace.components.seconds) + Double(grace.components.attoseconds) / 1e18
        sources = [SIGTERM, SIGINT].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                queue.asyncAfter(deadline: .now() + seconds) {
                    logger.critical(
                        "graceful shutdown did not finish in time; exiting with requests still open (their clients resend)",
                        metadata: ["grace_s": "\(seconds)"]
                    )
                    exit(75)
                }
            }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
