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
/// a revocation only moves `revoked_before` forward (`greatest`), so two at once leave the
/// later moment.
struct VolunteerTokenStore {
    let connection: PostgresConnection
    let logger: Logger

    /// The volunteer, locked (``VolunteerStore/lock(_:)``), when `access` may see them.
    func lockVisible(_ id: UUID, to access: AccessToken) async throws -> VolunteerStore.Standing {
        guard let volunteer = try await VolunteerStore(connection: connection, logger: logger).lock(id) else { throw NotFound("volunteer") }
        try Scope.requireVisible(access, volunteer.community, what: "volunteer")
        return volunteer
    }

    /// The access of a new token for the verified volunteer `id` (stamped with the
    /// database's clock, the one revocations use), logged as issued by `actor`.
    func issue(to id: UUID, community: AreaCode, status: VolunteerStatus, days: Int, actor: String) async throws -> AccessToken {
        guard status == .verified else {
            throw Refusal("Only a verified volunteer gets a token; this volunteer is \(status.rawValue).", title: "Not verified")
        }
        let (issuedAt, expiresAt) =
            try await connection.query(
                """
                INSERT INTO volunteer_token_log (volunteer_id, action, actor, expires_at)
                VALUES (\(id), 'issued', \(actor), now() + make_interval(secs => \(Double(days) * 86_400)))
                RETURNING at, expires_at
                """,
                logger: logger
            ).decode((Date, Date).self).collectAll().first ?? (Date(), Date().addingTimeInterval(Double(days) * 86_400))
        return AccessToken(subject: id.lowercasedString, role: .volunteer, area: community, expiresAt: expiresAt, issuedAt: issuedAt)
    }

    /// Revokes every token of volunteer `id` issued until now — the database's clock when the
    /// revocation is written, after the volunteer's lock, so a token whose issue committed
    /// while this transaction waited for the lock is taken back too; returns the moment now in
    /// force.
    @discardableResult
    func revoke(_ id: UUID, actor: String, reason: String) async throws -> Date {
        let revoked =
            try await connection.query(
                """
                INSERT INTO token_revocations (role, subject, revoked_before, revoked_by, reason)
                VALUES ('volunteer', \(id.lowercasedString), clock_timestamp(), \(actor), \(reason))
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
