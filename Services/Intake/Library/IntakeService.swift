import Hummingbird
import ServiceKit
import Store

/// Intake: the front door. Volunteer sign-up and vetting, residents' requests and testing-round check-ins arrive here, are validated, stored and announced on the bus. Keeps no state in memory, so operators can run N replicas during a testing surge.
public enum IntakeService {
    /// The service as the kit runs it: stream `intake`, HTTP port 8081 by default.
    public static let description = ServiceDescription(name: "intake", defaultHTTPPort: 8081)
}
