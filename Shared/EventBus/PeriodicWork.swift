import Logging
import ServiceLifecycle
import Store

/// Runs `work` every `interval` until the service group shuts down: the one loop behind
/// every watch, probe and expiry. A failed round is logged and the next one tries again, so
/// a database blip never stops the work for good.
public struct PeriodicWork: Service {
    public let name: String
    public let interval: Duration
    private let logger: Logger
    private let work: @Sendable () async throws -> Void

    public init(_ name: String, every interval: Duration, logger: Logger, _ work: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await work()
            } catch {
                logger.warning("\(name) failed; trying again next round", metadata: ["error": "\(LoggableError.describe(error))"])
            }
            try? await gracefulSleep(milliseconds: interval.milliseconds)
        }
    }
}
