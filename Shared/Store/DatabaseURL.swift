import Foundation
import PostgresNIO

/// Where the shared database is: a `postgres://user:password@host:port/database` URL, as in
/// `SHOUWANG_DATABASE_URL`. Plain TCP on loopback by default; add `?sslmode=require` for TLS.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var requireTLS: Bool

    /// Parses a URL; throws ``StoreError`` naming what is wrong with it.
    public init(_ text: String) throws(StoreError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw StoreError(
                .configuration, "SHOUWANG_DATABASE_URL must look like postgres://user@host:5432/database, got '\(Self.redacted(text))'")
        }
        guard let user = url.user, !user.isEmpty else {
            throw StoreError(.configuration, "the database URL names no user: '\(Self.redacted(text))'")
        }
        let name = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        host = url.host?.isEmpty == false ? url.host! : "127.0.0.1"
        port = url.port ?? 5432
        username = user
        password = url.password
        database = name.isEmpty ? user : name
        requireTLS =
            url.queryItems?.contains { $0.name == "sslmode" && ["require", "verify-full", "verify-ca"].contains($0.value ?? "") } ?? false
    }

    /// The URL again, password included: for a child process's environment only, never a log.
    public var connectionString: String {
        var url = URLComponents()
        url.scheme = "postgres"
        url.user = username
        url.password = password
        url.host = host
        url.port = port
        url.path = "/" + database
        if requireTLS { url.queryItems = [URLQueryItem(name: "sslmode", value: "require")] }
        return url.string ?? ""
    }

    /// The same server with another database, e.g. for a test's own database.
    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// PostgresNIO's client configuration for this URL.
    public func clientConfiguration(maximumConnections: Int = 20) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: requireTLS ? .require(.makeClientConfiguration()) : .disable
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.additionalStartupParameters = [("application_name", "shouwang")]
        return configuration
    }

    /// The URL with its password hidden, for logs and errors.
    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
    }

    private static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? "(unreadable)"
    }
}

extension DatabaseURL {
    /// Configuration for a single connection outside the pool, for work whose session state
    /// matters (an advisory lock that must end when the connection does).
    public func connectionConfiguration() -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: requireTLS ? .require(try! .init(configuration: .makeClientConfiguration())) : .disable
        )
        configuration.options.additionalStartupParameters = [("application_name", "shouwang-relay")]
        return configuration
    }
}
