import EventBus
import Logging
import PostgresNIO
import ServiceLifecycle
import Store

/// Reloads the active bus keys from PostgreSQL every `interval` and installs them in
/// ``BusAccess``, so a key created or revoked with `shouwang keys` takes effect on every
/// bus process within one interval.
///
/// A failed reload keeps the last ring (the bus keeps serving the keys it knew) and says
/// so; before any ring has loaded, the bus refuses everyone.
public struct BusKeyWatch: Service {
    let store: BusKeyStore
    let access: BusAccess
    let interval: Duration
    let logger: Logger

    public init(store: BusKeyStore, access: BusAccess, interval: Duration, logger: Logger) {
        self.store = store
        self.access = access
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                access.install(try await store.activeRing())
            } catch {
                logger.error("could not reload the bus keys; keeping the last list", metadata: ["error": "\(LoggableError.describe(error))"])
            }
            try? await gracefulSleep(interval)
        }
    }
}

/// Sleeps, ending early when the service group shuts down.
func gracefulSleep(_ duration: Duration) async throws {
    try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
}
