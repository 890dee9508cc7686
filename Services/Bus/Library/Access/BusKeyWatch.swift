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
        // A failed reload keeps the last ring: PeriodicWork logs it and tries again.
        try await PeriodicWork("reloading the bus keys", every: interval, logger: logger) { [store, access] in
            access.install(try await store.activeRing())
        }.run()
    }
}
