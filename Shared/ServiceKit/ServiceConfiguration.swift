import EventBus
import Foundation
import Logging
import Store

/// Everything a Shouwang process needs to find its neighbours, as plain values.
///
/// Read from the environment variables of ARCHITECTURE.md (``fromEnvironment(defaultHTTPPort:)``);
/// command-line flags override them (``ServiceOptions``).
public struct ServiceConfiguration: Sendable {
    public var database: DatabaseURL
    public var bus: BusEndpoints
    public var httpHost: String
    public var httpPort: Int
    public var logLevel: Logger.Level
    /// Signs and checks bearer tokens; every replica of every service must share it.
    public var tokenSecret: String?

    public init(
        database: DatabaseURL, bus: BusEndpoints, httpHost: String = "127.0.0.1", httpPort: Int,
        logLevel: Logger.Level = .info, tokenSecret: String? = nil
    ) {
        self.database = database
        self.bus = bus
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.logLevel = logLevel
        self.tokenSecret = tokenSecret
    }

    public static let defaultDatabaseURL = "postgres://shouwang@127.0.0.1:5432/shouwang"

    /// The configuration the environment describes, with the documented defaults.
    public static func fromEnvironment(
        defaultHTTPPort: Int, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ServiceConfiguration {
        let defaults = BusEndpoints()
        let port = try environment["SHOUWANG_HTTP_PORT"].map { text in
            guard let port = Int(text), (1...65535).contains(port) else {
                throw ConfigurationError("SHOUWANG_HTTP_PORT must be a port number, got '\(text)'")
            }
            return port
        }
        let level = try environment["SHOUWANG_LOG_LEVEL"].map { text in
            guard let level = Logger.Level(rawValue: text) else {
                throw ConfigurationError("SHOUWANG_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical; got '\(text)'")
            }
            return level
        }
        return ServiceConfiguration(
            database: try DatabaseURL(environment["SHOUWANG_DATABASE_URL"] ?? defaultDatabaseURL),
            bus: BusEndpoints(
                publish: environment["SHOUWANG_BUS_PUBLISH"] ?? defaults.publish,
                subscribe: environment["SHOUWANG_BUS_SUBSCRIBE"] ?? defaults.subscribe,
                replay: environment["SHOUWANG_BUS_REPLAY"] ?? defaults.replay
            ),
            httpHost: environment["SHOUWANG_HTTP_HOST"] ?? "127.0.0.1",
            httpPort: port ?? defaultHTTPPort,
            logLevel: level ?? .info,
            tokenSecret: environment["SHOUWANG_TOKEN_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        )
    }
}

/// A configuration value that cannot be used, with what to change.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
