import Foundation
import Logging
import Models
import PostgresNIO
import ZeroMQ

/// The bus's allow-list in PostgreSQL (`bus_keys`): public keys with their role, stream and
/// granted prefixes. Operators manage it with `shouwang keys`; every bus process reads the
/// active keys every few seconds. Secret keys are never stored.
public struct BusKeyStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// A key as `shouwang keys list` shows it.
    public struct Entry: Sendable {
        public var grant: BusKeyGrant
        public var createdAt: Date
        public var revokedAt: Date?
    }

    /// Registers `grant`; refuses a name or public key already registered (revoked ones too:
    /// names stay unique so audit trails stay readable).
    public func create(_ grant: BusKeyGrant) async throws(BusKeyError) {
        try Self.check(grant)
        do {
            try await client.query(
                """
                INSERT INTO bus_keys (name, public_key, role, stream, prefixes)
                VALUES (\(grant.name), \(grant.publicKey), \(grant.role.rawValue), \(grant.stream), \(grant.prefixes))
                """,
                logger: logger
            )
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw BusKeyError(
                .duplicate, "a key named '\(grant.name)' or with this public key is already registered (revoked keys keep their name)")
        } catch {
            throw BusKeyError(.database, "could not register the key: \(String(reflecting: error).prefix(300))")
        }
    }

    /// Revokes the key named `name`; bus processes stop honouring it within their refresh interval.
    public func revoke(name: String) async throws(BusKeyError) {
        let revoked: Int
        do {
            revoked = try await count(
                "WITH r AS (UPDATE bus_keys SET revoked_at = now() WHERE name = \(name) AND revoked_at IS NULL RETURNING 1) SELECT count(*)::int FROM r"
            )
        } catch {
            throw BusKeyError(.database, "could not revoke the key: \(String(reflecting: error).prefix(300))")
        }
        guard revoked == 1 else { throw BusKeyError(.notFound, "no active key named '\(name)' (see shouwang keys list)") }
    }

    /// Every key, active and revoked, by name.
    public func list() async throws -> [Entry] {
        var entries: [Entry] = []
        for try await (name, publicKey, role, stream, prefixes, created, revoked) in try await client.query(
            "SELECT name, public_key, role, stream, prefixes, created_at, revoked_at FROM bus_keys ORDER BY name", logger: logger
        ).decode((String, String, String, String?, [String], Date, Date?).self) {
            guard let role = BusKeyGrant.Role(rawValue: role) else { continue }
            entries.append(
                Entry(
                    grant: BusKeyGrant(name: name, publicKey: publicKey, role: role, stream: stream, prefixes: prefixes),
                    createdAt: created, revokedAt: revoked))
        }
        return entries
    }

    /// The keys the bus honours now.
    public func activeRing() async throws -> BusKeyRing {
        BusKeyRing(try await list().filter { $0.revokedAt == nil }.map(\.grant))
    }

    private func count(_ query: PostgresQuery) async throws -> Int {
        for try await value in try await client.query(query, logger: logger).decode(Int.self) { return value }
        return 0
    }

    /// The rules a grant must keep before it is stored.
    static func check(_ grant: BusKeyGrant) throws(BusKeyError) {
        let nameBytes = Array(grant.name.utf8)
        guard (1...64).contains(nameBytes.count),
            nameBytes.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x2E || $0 == 0x5F })
        else { throw BusKeyError(.invalid, "a key name is 1–64 characters of a–z, 0–9, '-', '.' or '_'") }
        guard ZMQCurveKeyPair.isKeyText(grant.publicKey) else { throw BusKeyError(.invalid, "the public key must be 40 Z85 characters") }
        switch grant.role {
        case .publisher, .service:
            guard let stream = grant.stream, !stream.isEmpty,
                stream.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D })
            else {
                throw BusKeyError(
                    .invalid, "a \(grant.role.rawValue) key needs --stream: the first topic segment it publishes (a–z, 0–9, '-')")
            }
        case .integrator:
            guard grant.stream == nil else { throw BusKeyError(.invalid, "an integrator key publishes nothing: drop --stream") }
        }
        if grant.role != .publisher, grant.prefixes.isEmpty {
            throw BusKeyError(
                .invalid, "a \(grant.role.rawValue) key needs at least one --prefix it may read, e.g. intake.testing. ('' for everything)")
        }
        if grant.role == .publisher, !grant.prefixes.isEmpty {
            throw BusKeyError(.invalid, "a publisher key reads nothing: drop --prefix, or make it a service key")
        }
        for prefix in grant.prefixes where prefix.utf8.count > 200 || prefix.utf8.contains(where: { $0 < 0x21 || $0 > 0x7E }) {
            throw BusKeyError(.invalid, "prefix '\(prefix.prefix(40))' must be printable ASCII without spaces, at most 200 bytes")
        }
        // `intake` would also grant `intake2.…`: a grant is everything, a prefix ending in a dot, or one whole topic.
        for prefix in grant.prefixes where !prefix.isEmpty && !prefix.hasSuffix(".") && (try? Topic(prefix)) == nil {
            throw BusKeyError(
                .invalid, "prefix '\(prefix.prefix(40))' must end with a dot (intake.) or be a whole topic (intake.request.created)")
        }
    }
}

/// A refused key operation, with a code for callers and a message for the operator.
public struct BusKeyError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable { case invalid, duplicate, notFound, database }
    public let code: Code
    public let description: String
    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
