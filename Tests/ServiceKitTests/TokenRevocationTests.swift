import Foundation
import Models
import PostgresNIO
import ServiceKit
import Store
import TestSupport
import Testing

/// A revocation written to the shared table is honoured by every signer that follows the
/// table — any replica of any service — within one refresh, cached tokens included, and
/// takes back only tokens issued before it.
@Suite struct TokenRevocationTests {
    static let secret = "station-secret"

    static func token(_ signer: TokenSigner, issuedAt: Date?) throws -> String {
        try signer.issue(
            AccessToken(
                subject: "6f1c2a9e-0000-4000-8000-000000000001", role: .volunteer, area: AreaCode("320505-001-001"),
                expiresAt: Date().addingTimeInterval(3600), issuedAt: issuedAt))
    }

    @Test func anotherProcessRefusesTokensIssuedBeforeARevocationWithinOneRefresh() async throws {
        let database = try await TestDatabase.create()
        let issuer = TokenSigner(secret: Self.secret)
        let elsewhere = TokenSigner(secret: Self.secret)  // another service's process
        let before = try Self.token(issuer, issuedAt: Date().addingTimeInterval(-60))
        let legacy = try Self.token(issuer, issuedAt: nil)  // signed before tokens carried their issue time
        #expect(throws: Never.self) { try elsewhere.verify(before) }
        #expect(throws: Never.self) { try elsewhere.verify(legacy) }

        try await database.withClient { client in
            try await withRunningServices([elsewhere.revocations.refresher(client: client, logger: .test)]) {
                _ = try await client.query(
                    """
                    INSERT INTO token_revocations (role, subject, revoked_before, revoked_by, reason)
                    VALUES ('volunteer', '6f1c2a9e-0000-4000-8000-000000000001', now(), 'station-staff', 'phone lost')
                    """,
                    logger: .test)
                let refused = await eventually(timeout: .seconds(10)) { (try? elsewhere.verify(before)) == nil }
                #expect(refused, "refused within a refresh, although verified (and cached) before")
                #expect(throws: ProblemDetails.self) { try elsewhere.verify(legacy) }
                let after = try Self.token(issuer, issuedAt: Date().addingTimeInterval(5))
                #expect(throws: Never.self) { try elsewhere.verify(after) }
            }
        }
        #expect(TokenRevocations.refreshInterval <= .seconds(2))
    }

    @Test func aRevocationNotedHereHoldsAtOnceAndOnlyForItsHolder() throws {
        let signer = TokenSigner(secret: Self.secret)
        let token = try Self.token(signer, issuedAt: Date().addingTimeInterval(-1))
        let staff = try signer.issue(
            AccessToken(
                subject: "6f1c2a9e-0000-4000-8000-000000000001", role: .staff, area: AreaCode("320505-001"),
                expiresAt: Date().addingTimeInterval(3600), issuedAt: Date().addingTimeInterval(-1)))
        signer.revocations.note(role: .volunteer, subject: "6F1C2A9E-0000-4000-8000-000000000001", before: Date())
        #expect(throws: ProblemDetails.self) { try signer.verify(token) }
        #expect(throws: Never.self) { try signer.verify(staff) }
    }
}
