import Logging
import Metrics
import Synchronization

/// Says why the bus refused something — but at most `burst` lines per `window`, whoever
/// provokes them: refused clients retry every few seconds, and an attacker with fresh keys
/// must not be able to flood the log. What is not written is counted and summed up in the
/// next line that is.
final class RefusalLog: Sendable {
    private struct State {
        var windowStart: Int64 = 0
        var written = 0
        var suppressed = 0
    }

    private let state = Mutex(State())
    private let logger: Logger
    private let burst: Int
    private let windowMilliseconds: Int64

    init(logger: Logger, burst: Int = 10, windowMilliseconds: Int64 = 10_000) {
        self.logger = logger
        self.burst = burst
        self.windowMilliseconds = windowMilliseconds
    }

    func warning(_ message: Logger.Message, metadata: Logger.Metadata, atMilliseconds now: Int64) {
        let suppressedBefore: Int? = state.withLock { state in
            if now - state.windowStart >= windowMilliseconds {
                state.windowStart = now
                state.written = 0
            }
            guard state.written < burst else {
                state.suppressed += 1
                return nil
            }
            state.written += 1
            defer { state.suppressed = 0 }
            return state.suppressed
        }
        guard let suppressedBefore else { return }
        var metadata = metadata
        if suppressedBefore > 0 { metadata["refusals_not_logged"] = "\(suppressedBefore)" }
        logger.warning(message, metadata: metadata)
    }
}
