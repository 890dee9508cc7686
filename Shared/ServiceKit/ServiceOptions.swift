import ArgumentParser
import EventBus
import Logging
import Store

/// The command-line flags every service shares; each one overrides its environment variable.
public struct ServiceOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL (env SHOUWANG_DATABASE_URL).")
    public var databaseURL: String?

    @Option(name: .customLong("bus-publish"), help: "Bus proxy XSUB endpoint (env SHOUWANG_BUS_PUBLISH).")
    public var busPublish: String?

    @Option(name: .customLong("bus-subscribe"), help: "Bus proxy XPUB endpoint (env SHOUWANG_BUS_SUBSCRIBE).")
    public var busSubscribe: String?

    @Option(name: .customLong("bus-replay"), help: "Bus replay ROUTER endpoint (env SHOUWANG_BUS_REPLAY).")
    public var busReplay: String?

    @Option(name: .customLong("host"), help: "HTTP listen address (env SHOUWANG_HTTP_HOST, default 127.0.0.1).")
    public var host: String?

    @Option(name: .customLong("port"), help: "HTTP port (env SHOUWANG_HTTP_PORT).")
    public var port: Int?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env SHOUWANG_LOG_LEVEL).")
    public var logLevel: String?

    public init() {}

    /// The environment's configuration with these flags laid over it.
    /// The configuration of `service`: its own default port unless told otherwise.
    public func resolve(for service: ServiceDescription) throws -> ServiceConfiguration {
        try resolve(defaultHTTPPort: service.defaultHTTPPort)
    }

    public func resolve(defaultHTTPPort: Int) throws -> ServiceConfiguration {
        var configuration = try ServiceConfiguration.fromEnvironment(defaultHTTPPort: defaultHTTPPort)
        if let databaseURL { configuration.database = try DatabaseURL(databaseURL) }
        if let busPublish { configuration.bus.publish = busPublish }
        if let busSubscribe { configuration.bus.subscribe = busSubscribe }
        if let busReplay { configuration.bus.replay = busReplay }
        if let host { configuration.httpHost = host }
        if let port {
            guard (1...65535).contains(port) else { throw ConfigurationError("--port must be 1–65535, got \(port)") }
            configuration.httpPort = port
        }
        if let logLevel {
            guard let level = Logger.Level(rawValue: logLevel) else {
                throw ConfigurationError("--log-level '\(logLevel)' is not a log level")
            }
            configuration.logLevel = level
        }
        return configuration
    }
}
