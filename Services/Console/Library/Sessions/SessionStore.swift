import Crypto
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// A signed-in staff member's session: who, and the token every form of theirs must carry.
struct ConsoleSession: Sendable {
    var account: Account
    /// Sent in each form as a hidden field; a page of another site cannot read it, so a form
    /// it posts in the user's name is refused.
    var csrf: String
}

/// The SQL of sessions. The cookie holds a random token; the table holds only its SHA-256,
/// so a read of the table does not let anyone sign in as its users.
///
/// Concurrency: a session is one row, written once and deleted once; a lookup that races
/// a sign-out sees it or not, never half.
struct SessionStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// How long a session lasts from sign-in: one long shift.
    static let lifetime: TimeInterval = 12 * 3600

    /// A new session for `account`; returns the cookie's token.
    func open(for account: Account, now: Date = Date()) async throws -> (token: String, session: ConsoleSession) {
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        let expires = now.addingTimeInterval(Self.lifetime)
        try await client.query(
            """
            INSERT INTO console_sessions (token_hash, account_id, csrf, expires_at)
            VALUES (\(Self.digest(token)), \(account.id), \(csrf), \(expires))
            """,
            logger: logger
        )
        return (token, ConsoleSession(account: account, csrf: csrf))
    }

    /// The live session of a cookie's token, with its account; `nil` when unknown, expired or
    /// its account disabled.
    func session(token: String, now: Date = Date()) async throws -> ConsoleSession? {
        let rows = try await client.query(
            """
            SELECT a.id, a.username, a.role, a.area, s.csrf FROM console_sessions s JOIN console_accounts a ON a.id = s.account_id
            WHERE s.token_hash = \(Self.digest(token)) AND s.expires_at > \(now) AND a.disabled_at IS NULL
            """,
            logger: logger
        ).decode((UUID, String, String, String?, String).self).collectAll()
        guard let (id, username, role, area, csrf) = rows.first, let role = AccessRole(rawValue: role) else { return nil }
        return ConsoleSession(account: Account(id: id, username: username, role: role, area: area.flatMap(AreaCode.init)), csrf: csrf)
    }

    /// Ends the session of `token` (signing out).
    func close(token: String) async throws {
        try await client.query("DELETE FROM console_sessions WHERE token_hash = \(Self.digest(token))", logger: logger)
    }

    /// Forgets expired sessions; run now and then.
    func sweep(now: Date = Date()) async throws {
        try await client.query("DELETE FROM console_sessions WHERE expires_at <= \(now)", logger: logger)
    }

    static func randomToken() -> String {
        Data((0..<32).map { _ in UInt8.random(in: .min ... .max) }).base64URLEncoded
    }

    static func digest(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }
}
