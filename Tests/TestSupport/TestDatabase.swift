import Foundation
import Logging
import PostgresNIO
import Store

/// A database of its own for one test, on the private cluster `Deploy/local/test.sh` starts.
///
/// Tests never skip when PostgreSQL is missing: they fail, saying how to run them.
public struct TestDatabase: Sendable {
    public let url: DatabaseURL
    public let name: String

    /// The cluster's admin URL, from `SHOUWANG_TEST_DATABASE_URL`.
    public static func adminURL() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment["SHOUWANG_TEST_DATABASE_URL"] else {
            throw TestSetupError("SHOUWANG_TEST_DATABASE_URL is not set: run the tests with Deploy/local/test.sh, which starts PostgreSQL")
        }
        return try DatabaseURL(text)
    }

    /// Creates an empty database, migrated with `migrations` unless `migrated` is false.
    public static func create(migrations: [Migration] = CoreMigrations.all, migrated: Bool = true) async throws -> TestDatabase {
        let admin = try adminURL()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        _ = try await withClient(admin) { client in
            try await client.query("CREATE DATABASE \(unescaped: name)", logger: .test)
        }
        let database = TestDatabase(url: admin.with(database: name), name: name)
        if migrated { try await Migrator(migrations).migrate(database.url, logger: .test) }
        return database
    }

    /// Runs `body` with a pooled client of this database.
    public func withClient<Result: Sendable>(_ body: @Sendable (PostgresClient) async throws -> Result) async throws -> Result {
        try await Self.withClient(url, body)
    }

    /// Runs `body` with a pooled client of `url`, closing it afterwards.
    public static func withClient<Result: Sendable>(
        _ url: DatabaseURL, _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        try await url.withClient(maximumConnections: 10, logger: .test, body)
    }

    /// The first column of the first row of `query`, decoded as `T`.
    public func scalar<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T? {
        try await withClient { client in
            for try await value in try await client.query(query, logger: .test).decode(T.self) { return value }
            return nil
        }
    }
}

/// The tests' environment is not what they need.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Logger {
    /// A quiet logger for tests (warnings and worse).
    public static var test: Logger {
        var logger = Logger(label: "shouwang.test")
        logger.logLevel = .warning
        return logger
    }
}

extension TestDatabase {
    /// Puts `areas` (code → name) into intake's geography, each code's parent and level
    /// following from its dashes, parents first: what a test needs before it writes anything
    /// that names an area.
    public func insertAreas(_ areas: KeyValuePairs<String, String>) async throws {
        let sorted = areas.sorted { ($0.key.count, $0.key) < ($1.key.count, $1.key) }
        let levels = ["district", "street", "community", "compound"]
        let codes = sorted.map(\.key)
        let names = sorted.map(\.value)
        let parents = codes.map { code in code.lastIndex(of: "-").map { String(code[..<$0]) } ?? "" }
        let kinds = codes.map { levels[min(3, $0.split(separator: "-").count - 1)] }
        _ = try await withClient { client in
            try await client.query(
                """
                INSERT INTO areas (code, parent, level, name)
                SELECT c, NULLIF(p, ''), l, n FROM UNNEST(\(codes)::text[], \(parents)::text[], \(kinds)::text[], \(names)::text[]) WITH ORDINALITY AS a(c, p, l, n, o)
                ORDER BY o
                """,
                logger: .test
            )
        }
    }
}
