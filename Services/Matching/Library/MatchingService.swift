import Hummingbird
import ServiceKit
import Store

/// Matching: who goes where. Rosters for posts and shifts, and dispatch of residents' requests to nearby volunteers.
public enum MatchingService {
    /// The service as the kit runs it: stream `matching`, HTTP port 8082 by default.
    public static let description = ServiceDescription(name: "matching", defaultHTTPPort: 8082)
}
