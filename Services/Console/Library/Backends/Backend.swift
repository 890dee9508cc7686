import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One of the four services, as the console reaches it: over its HTTP API, like any client.
public enum Backend: String, Sendable, CaseIterable {
    case intake, matching, supplies, outreach

    /// `SHOUWANG_INTAKE_URL` and so on: the service's balancer, or one replica.
    var variable: String { "SHOUWANG_\(rawValue.uppercased())_URL" }

    var defaultURL: String {
        switch self {
        case .intake: "http://127.0.0.1:8081"
        case .matching: "http://127.0.0.1:8082"
        case .supplies: "http://127.0.0.1:8083"
        case .outreach: "http://127.0.0.1:8084"
        }
    }
}

/// What a service answered when it refused: its status and the problem's words, shown to the
/// user as they are (they are written for people).
struct BackendRefusal: Error, Sendable {
    var status: Int
    var detail: String
    /// Field-by-field messages of a 422.
    var fields: [String: String] = [:]
}
