import Hummingbird
import ServiceKit
import Store

/// Outreach: the registry of vulnerable residents, call campaigns, follow-ups, escalation, hotlines and notices in dialect.
public enum OutreachService {
    /// The service as the kit runs it: stream `outreach`, HTTP port 8084 by default.
    public static let description = ServiceDescription(name: "outreach", defaultHTTPPort: 8084)
}
