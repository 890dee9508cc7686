import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of volunteers' phone tokens: which volunteer may be given one, the log of tokens
/// issued and revoked (never the tokens themselves), and the revocation every service
/// honours (the core `token_revocations` table, which intake alone writes).
///
/// Concurrency: the volunteer's row is locked (`FOR UPDATE`) while a token is issued or
/// revoked, so a token is never issued to a volunteer whose suspension commits meanwhile;
/// a revocation only moves `revoked_before` forward (`greatest`), so two at once, or a
/// redelivered off-duty event, leave the later moment.
struct VolunteerTokenStore {
    let connection: PostgresConnection
    let logger: Logger

    /// The volunteer's community and status, locked, when `access` may see them.
    func lockVisible(_ id: UUID, to access: AccessToken) async throws -> (community: AreaCode, status: String) {
        guard
            let (community, status) = try await connection.query(
                "SELECT community, status FROM volunteers WHERE id = \(id) FOR UPDATE", logger: logger
            ).decode((String, String).self).collectAll().first, let area = AreaCode(community)
        else { throw NotFound("volunteer") }
        try Scope.requireVisible(access, area, what: "volunteer")
        return (area, status)
    }

    /// The access of a new token for the verified volunteer `id` (stamped with the
    /// database's clock, the one revocations use), logged as issued by `actor`.
    func issue(to id: UUID, community: AreaCode, status: String, days: Int, actor: String) async throws -> AccessToken {
        guard status == "verified" else {
            throw Refusal("Only a verified volunteer gets a token; this volunteer is \(status).", title: "Not verified")
        }
        let now = try await connection.query("SELECT now()", logger: logger).decode(Date.self).collectAll().first ?? Date()
        let access = AccessToken(
            subject: id.lowercasedString, role: .volunteer, area: community, expiresAt: now.addingTimeInterval(Double(days) * 86_400),
            issuedAt: now)
        try await connection.query(
            """
            INSERT INTO volunteer_token_log (volunteer_id, action, actor, expires_at, at)
            VALUES (\(id), 'issued', \(actor), \(access.expiresAt), \(now))
            """,
            logger: logger
        )
        return access
    }

    /// Revokes every token of volunteer `id` issued at or before `before` (the database's
    /// `now()` when `nil`); returns the moment now in force.
    @discardableResult
    func revoke(_ id: UUID, before: Date? = nil, actor: String, reason: String) async throws -> Date {
        let revoked =
            try await connection.query(
                """
                INSERT INTO token_revocations (role, subject, revoked_before, revoked_by, reason)
                VALUES ('volunteer', \(id.lowercasedString), coalesce(\(before), now()), \(actor), \(reason))
                ON CONFLICT (role, subject) DO UPDATE SET
                    revoked_before = greatest(token_revocations.revoked_before, EXCLUDED.revoked_before),
                    revoked_by = EXCLUDED.revoked_by, reason = EXCLUDED.reason
                RETURNING revoked_before
                """,
                logger: logger
            ).decode(Date.self).collectAll().first ?? Date()
        try await connection.query(
            "INSERT INTO volunteer_token_log (volunteer_id, action, actor, reason) VALUES (\(id), 'revoked', \(actor), \(reason))",
            logger: logger
        )
        return revoked
    }
}
