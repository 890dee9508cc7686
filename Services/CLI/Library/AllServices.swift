import Intake
import Matching
import Outreach
import ServiceKit
import Supplies

/// The four services, in the order a fresh database receives their migrations.
enum AllServices {
    static let descriptions: [ServiceDescription] = [
        IntakeService.description, MatchingService.description, SuppliesService.description, OutreachService.description,
    ]

    /// Each service on this machine at its default port, as `shouwang status` checks them.
    static var localURLs: [(String, String)] {
        descriptions.map { ($0.name, "http://127.0.0.1:\($0.defaultHTTPPort)") }
    }
}
