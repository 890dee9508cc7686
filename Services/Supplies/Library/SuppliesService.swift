import Hummingbird
import ServiceKit
import Store

/// Supplies: donations, depots and the stock ledger, reservations against work orders, allocation and delivery.
public enum SuppliesService {
    /// The service as the kit runs it: stream `supplies`, HTTP port 8083 by default.
    public static let description = ServiceDescription(name: "supplies", defaultHTTPPort: 8083)
}
