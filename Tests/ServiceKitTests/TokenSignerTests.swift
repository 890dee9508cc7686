import Foundation
import Models
import ServiceKit
import Testing

/// Bearer tokens: what a signer issues it accepts until expiry; anything else is refused.
@Suite struct TokenSignerTests {
    let signer = TokenSigner(secret: "station-secret")
    let access = AccessToken(
        subject: "device-17", role: .device, area: AreaCode("320505-001-001"),
        expiresAt: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 600).rounded()))

    @Test func anIssuedTokenGrantsItsAccessAgainAndAgain() throws {
        let token = try signer.issue(access)
        #expect(try signer.verify(token) == access)
        #expect(try signer.verify(token) == access)
        #expect(try TokenSigner(secret: "station-secret").verify(token) == access, "every replica sharing the secret accepts it")
    }

    @Test func aTokenFromAnotherSecretOrAlteredIsRefused() throws {
        let token = try signer.issue(access)
        #expect(throws: ProblemDetails.self) { try TokenSigner(secret: "other-secret").verify(token) }
        var parts = token.split(separator: ".").map(String.init)
        let widened = AccessToken(subject: "device-17", role: .operator, area: nil, expiresAt: access.expiresAt)
        parts[1] = try signer.issue(widened).split(separator: ".")[1].description
        #expect(throws: ProblemDetails.self) { try signer.verify(parts.joined(separator: ".")) }
        #expect(throws: ProblemDetails.self) { try signer.verify("sw1.e30.AAAA") }
        #expect(throws: ProblemDetails.self) { try signer.verify("garbage") }
    }

    @Test func anExpiredTokenIsRefusedEvenAfterItWasAccepted() throws {
        let token = try signer.issue(access)
        #expect(try signer.verify(token, now: Date()) == access)
        #expect(throws: ProblemDetails.self) { try signer.verify(token, now: access.expiresAt.addingTimeInterval(1)) }
    }
}
