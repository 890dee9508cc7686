import EventBus
import Foundation
import Logging
import PostgresNIO

/// Takes back the phone tokens of volunteers who went off duty — suspended, withdrawn or
/// rejected — every token issued before the sweep found them so. A volunteer is issued
/// tokens only while verified, so nothing issued before that moment was meant to outlive
/// the change; a token the station issues after a reinstatement works.
///
/// A sweep rather than a consumer of intake's own volunteer events: intake's bus key is not
/// granted its own stream, and the volunteer's row is the truth anyway. A revocation is in
/// force within ``interval`` plus one revocation refresh (``TokenRevocations``), about four
/// seconds. Several replicas may sweep at once: the revocation only ever moves forward, and
/// each sweep takes its volunteers in id order, so two sweeps lock the same rows in one order
/// and never deadlock.
struct VolunteerTokenRevoker {
    let client: PostgresClient
    let logger: Logger
    var interval: Duration = .seconds(2)

    func periodically() -> PeriodicWork {
        PeriodicWork("volunteer token revocation", every: interval, logger: logger) { try await sweep() }
    }

    /// One pass; returns how many volunteers' tokens it revoked.
    @discardableResult
    func sweep() async throws -> Int {
        try await client.transaction(logger: logger) { connection in
            let offDuty = try await connection.query(
                """
                SELECT v.id, v.status FROM volunteers v
                WHERE v.status IN ('suspended', 'withdrawn', 'rejected')
                  AND NOT EXISTS (SELECT 1 FROM token_revocations t
                                  WHERE t.role = 'volunteer' AND t.subject = v.id::text AND t.revoked_before >= v.updated_at)
                ORDER BY v.id LIMIT 500
                """,
                logger: logger
            ).decode((UUID, String).self).collectAll()
            let store = VolunteerTokenStore(connection: connection, logger: logger)
            for (volunteer, status) in offDuty {
                try await store.revoke(volunteer, actor: "intake", reason: "volunteer \(status)")
            }
            return offDuty.count
        }
    }
}
