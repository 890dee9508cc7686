import EventBus
import Foundation
import Logging
import Store

/// Everything a Shouwang process needs to find its neighbours, as plain values.
///
/// Read from the environment variables of ARCHITECTURE.md (``fromEnvironment(defaultHTTPPort:)``;
/// the database URL and the token secret may come from files, see ``EnvironmentSecret``);
/// command-line flags override them (``ServiceOptions``).
public struct ServiceConfiguration: Sendable {
    public var database: DatabaseURL
    public var bus: BusEndpoints
    public var httpHost: String
    public var httpPort: Int
    public var logLevel: Logger.Level
    /// Signs and checks bearer tokens; every replica of every service must share it.
    public var tokenSecret: String?
    /// The bus's own key pair (only `shouwang-bus` has one).
    public var busServer: BusServerSecurity?
    /// `SHOUWANG_BUS_INSECURE=1`: the bus runs without CURVE. Never the default.
    public var busInsecure = false
    /// `SHOUWANG_TRUSTED_PROXIES`: the balancers whose `X-Forwarded-For` is believed.
    public var trustedProxies = TrustedProxies.none
    /// `SHOUWANG_ADVERTISE_URL`: where this replica answers, as registered for `shouwang
    /// status`; by default its listen address and port (the host name when it listens on
    /// every interface).
    public var advertisedURL: String?

    /// `SHOUWANG_SHUTDOWN_GRACE_SECONDS`: how long a graceful shutdown may take before the
    /// process exits anyway (``ShutdownDeadline``); below the orchestrator's 30 s.
    public var shutdownGrace: Duration = .seconds(20)
    /// `SHOUWANG_DRAIN_SECONDS`: how long a stopping replica keeps serving while `/readyz`
    /// says 503, so balancers stop sending to it first (``Drain``): their check interval
    /// times the failures they need (HAProxy here: about 3 s).
    public var drainPeriod: Duration = .seconds(4)

    /// The URL this replica registers in `service_replicas`.
    public var replicaURL: String {
        if let advertisedURL { return advertisedURL }
        let host = ["0.0.0.0", "::", "[::]"].contains(httpHost) ? ProcessInfo.processInfo.hostName : httpHost
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(httpPort)"
    }

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
                throw ConfigurationError(
                    "SHOUWANG_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical; got '\(text)'")
            }
            return level
        }
        var configuration = ServiceConfiguration(
            database: try DatabaseURL(EnvironmentSecret.value("SHOUWANG_DATABASE_URL", in: environment) ?? defaultDatabaseURL),
            bus: BusEndpoints(
                publish: environment["SHOUWANG_BUS_PUBLISH"] ?? defaults.publish,
                subscribe: environment["SHOUWANG_BUS_SUBSCRIBE"] ?? defaults.subscribe,
                replay: environment["SHOUWANG_BUS_REPLAY"] ?? defaults.replay,
                credentials: try BusSecurityEnvironment.credentials(environment)
            ),
            httpHost: environment["SHOUWANG_HTTP_HOST"] ?? "127.0.0.1",
            httpPort: port ?? defaultHTTPPort,
            logLevel: level ?? .info,
            tokenSecret: try EnvironmentSecret.value("SHOUWANG_TOKEN_SECRET", in: environment)
        )
        configuration.busServer = try BusSecurityEnvironment.server(environment)
        configuration.busInsecure = BusSecurityEnvironment.insecure(environment)
        configuration.trustedProxies = try TrustedProxies(parsing: environment["SHOUWANG_TRUSTED_PROXIES"] ?? "")
        configuration.advertisedURL = environment["SHOUWANG_ADVERTISE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let text = environment["SHOUWANG_DRAIN_SECONDS"] {
            guard let seconds = Double(text), seconds >= 0, seconds <= 300 else {
                throw ConfigurationError("SHOUWANG_DRAIN_SECONDS must be a number of seconds from 0 to 300, got '\(text)'")
            }
            configuration.drainPeriod = .milliseconds(Int64(seconds * 1000))
        }
        if let text = environment["SHOUWANG_SHUTDOWN_GRACE_SECONDS"] {
            guard let seconds = Double(text), seconds > 0, seconds <= 3600 else {
                throw ConfigurationError("SHOUWANG_SHUTDOWN_GRACE_SECONDS must be a number of seconds from 0 to 3600, got '\(text)'")
            }
            configuration.shutdownGrace = .milliseconds(Int64(seconds * 1000))
        }
        return configuration
    }

    /// Refuses to go on as a bus client without a key, unless the bus was explicitly
    /// declared insecure: the default is closed, not open.
    public func requireBusCredentials() throws {
        guard bus.credentials == nil, !busInsecure else { return }
        throw ConfigurationError(
            """
            this process has no bus key: set SHOUWANG_BUS_SECRET_KEY_FILE (or SHOUWANG_BUS_SECRET_KEY) to a secret key \
            registered with `shouwang keys create`, and SHOUWANG_BUS_SERVER_KEY to the bus's public key. \
            Deploy/local/up.sh writes both to .local/ and .local/env.
            """
        )
    }

    /// The bus's own key pair; throws when it is missing and the bus was not declared insecure.
    public func requireBusServerSecurity() throws -> BusServerSecurity? {
        if let busServer { return busServer }
        guard busInsecure else {
            throw ConfigurationError(
                """
                shouwang-bus has no server key: set SHOUWANG_BUS_SERVER_SECRET_KEY_FILE (or SHOUWANG_BUS_SERVER_SECRET_KEY) \
                to the file `shouwang keys generate --secret-file FILE` wrote; clients need its public key as SHOUWANG_BUS_SERVER_KEY. \
                SHOUWANG_BUS_INSECURE=1 runs the bus without CURVE, open to anyone who reaches it.
                """
            )
        }
        return nil
    }
}

/// A configuration value that cannot be used, with what to change.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
