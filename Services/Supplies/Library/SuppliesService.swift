import Foundation
import Hummingbird
import ServiceKit
import ServiceLifecycle
import Store

/// Supplies: tracks every mask, vegetable parcel and box of pills from the donor to the
/// doorstep — donations and receipts, an append-only stock ledger that never oversells,
/// reservations for work orders, errand purchases, allocation of scarce lots, delivery
/// runs, and warnings when a depot runs low or a lot nears expiry.
public enum SuppliesService {
    /// The service as the kit runs it: stream `supplies`, HTTP port 8083 by default.
    public static let description = routesAndConsumers.servingOpenAPI(from: .module)

    private static let routesAndConsumers = ServiceDescription(
        name: "supplies", defaultHTTPPort: 8083, migrations: SuppliesMigrations.all,
        configure: { router, dependencies in
            CatalogueRoutes(dependencies: dependencies).add(to: router)
            DonationRoutes(dependencies: dependencies).add(to: router)
            StockRoutes(dependencies: dependencies).add(to: router)
            let writers = ProcessInfo.processInfo.environment["SHOUWANG_SUPPLIES_RESERVATION_WRITERS"].flatMap(Int.init).map { max(1, $0) }
            let reservations = ReservationWriter(
                client: dependencies.client, logger: dependencies.logger, writers: writers ?? ReservationWriter.defaultWriters)
            ReservationRoutes(dependencies: dependencies, writer: reservations).add(to: router)
            AllocationRoutes(dependencies: dependencies).add(to: router)
            PurchaseRoutes(dependencies: dependencies).add(to: router)
            DeliveryRoutes(dependencies: dependencies).add(to: router)
            CompoundRoutes(dependencies: dependencies).add(to: router)
            var watch = StockWatch(client: dependencies.client, logger: dependencies.logger)
            if let seconds = ProcessInfo.processInfo.environment["SHOUWANG_SUPPLIES_WATCH_SECONDS"].flatMap(Double.init), seconds > 0 {
                watch.interval = .milliseconds(Int(seconds * 1000))
            }
            return [
                reservations,
                watch,
                WorkOrderConsumer(endpoints: dependencies.configuration.bus, client: dependencies.client, logger: dependencies.logger),
            ]
        }
    )
}
