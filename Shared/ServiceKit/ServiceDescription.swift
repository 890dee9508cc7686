import Foundation
import Hummingbird
import ServiceLifecycle
import Store

/// What makes one Shouwang service different from another: its name (which is also its
/// event stream), default port, migrations and routes. The kit supplies the rest.
public struct ServiceDescription: Sendable {
    /// The service's name and event stream: `intake`, `matching`, `supplies`, `outreach`.
    public var name: String
    public var defaultHTTPPort: Int
    /// The service's own tables; the shared core migrations always run first.
    public var migrations: [Migration]
    /// Adds the service's `/v1` routes and returns the background work they rely on
    /// (event consumers, write coalescers), which runs beside the HTTP server.
    public var configure: @Sendable (Router<ServiceRequestContext>, ServiceDependencies) -> [any Service]
    /// The OpenAPI 3.1 document kept in the repository, served at `/openapi.json`.
    public var openAPIDocument: @Sendable () -> [UInt8]? = { nil }

    public init(
        name: String, defaultHTTPPort: Int, migrations: [Migration] = [],
        configure: @escaping @Sendable (Router<ServiceRequestContext>, ServiceDependencies) -> [any Service] = { _, _ in [] }
    ) {
        self.name = name
        self.defaultHTTPPort = defaultHTTPPort
        self.migrations = migrations
        self.configure = configure
    }
}

extension ServiceDescription {
    /// The one-line help of the service's executable: its name and port are written once,
    /// in the description, and read from there by the command, the options and the docs.
    public var commandAbstract: String {
        "Runs the Shouwang \(name) service (HTTP on port \(defaultHTTPPort) by default, events on stream '\(name)')."
    }

    /// The same service, serving the `openapi.json` bundled with its library at `/openapi.json`.
    public func servingOpenAPI(from bundle: Bundle) -> ServiceDescription {
        var description = self
        description.openAPIDocument = {
            bundle.url(forResource: "openapi", withExtension: "json").flatMap { try? Data(contentsOf: $0) }.map(Array.init)
        }
        return description
    }
}
