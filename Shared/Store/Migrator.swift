import Logging
import PostgresNIO

/// Applies versioned migrations at start-up.
///
/// Every replica of every service calls it when it starts. The whole run holds a
/// transaction-scoped advisory lock, so when five replicas start together one migrates and
/// the others wait, then find nothing left to do.
public struct Migrator: Sendable {
    /// The advisory lock key pair `(namespace, key)` of schema changes.
    static let lockKeys: (Int32, Int32) = (0x5357, 1)

    public let migrations: [Migration]

    public init(_ migrations: [Migration]) {
        self.migrations = migrations
    }

    /// Applies what is missing; returns the migrations it applied (empty when up to date).
    @discardableResult
    public func migrate(_ client: PostgresClient, logger: Logger) async throws -> [Migration] {
        try await client.transaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKeys.0), \(Self.lockKeys.1))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    component text NOT NULL,
                    version integer NOT NULL,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (component, version)
                )
                """,
                logger: logger
            )
            var applied = Set<String>()
            for try await (component, version) in try await connection.query(
                "SELECT component, version FROM schema_migrations", logger: logger
            ).decode((String, Int).self) {
                applied.insert("\(component)/\(version)")
            }
            var done: [Migration] = []
            for migration in migrations where !applied.contains("\(migration.component)/\(migration.version)") {
                for statement in migration.statements {
                    do {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    } catch {
                        throw StoreError(
                            .migration,
                            "migration \(migration.component)/\(migration.version) '\(migration.name)' failed: \(LoggableError.describe(error))"
                        )
                    }
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (component, version, name) VALUES (\(migration.component), \(migration.version), \(migration.name))",
                    logger: logger
                )
                logger.info("applied migration", metadata: ["component": "\(migration.component)", "version": "\(migration.version)"])
                done.append(migration)
            }
            return done
        }
    }

    /// Runs ``migrate(_:logger:)`` on a short-lived client of its own, for start-up before
    /// the service's long-lived client runs.
    @discardableResult
    public func migrate(_ url: DatabaseURL, logger: Logger) async throws -> [Migration] {
        try await url.withClient(maximumConnections: 1, logger: logger) { client in
            try await migrate(client, logger: logger)
        }
    }
}

extension Migrator {
    /// Namespace of the relays' advisory locks: `(namespace, hashtext(stream))`.
    public static let relayLockNamespace: Int32 = 0x5358
}
