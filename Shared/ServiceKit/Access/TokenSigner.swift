import Crypto
import Foundation
import Hummingbird
import Models

/// Issues and checks bearer tokens: `sw1.<payload>.<HMAC-SHA256>`, base64url.
///
/// Every replica of every service shares the secret (`SHOUWANG_TOKEN_SECRET`), so a token
/// issued once works against any of them, and nothing is looked up per request: the
/// revocations are held in memory (``TokenRevocations``), refreshed in the background.
public struct TokenSigner: Sendable {
    private let key: SymmetricKey
    private let verified = VerifiedTokens()
    /// Tokens taken back before their expiry; shared by every copy of this signer.
    public let revocations = TokenRevocations()

    public init(secret: String) {
        key = SymmetricKey(data: SHA256.hash(data: Data(secret.utf8)))
    }

    /// A token for `access`.
    public func issue(_ access: AccessToken) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        let payload = try encoder.encode(access).base64URLEncoded
        let signature = Data(HMAC<SHA256>.authenticationCode(for: Data(("sw1." + payload).utf8), using: key)).base64URLEncoded
        return "sw1.\(payload).\(signature)"
    }

    /// The access a token grants; 401 problem details when it is missing, forged, expired or
    /// revoked. Expiry and revocation are checked on every use, cached or not.
    public func verify(_ token: String, now: Date = Date()) throws(ProblemDetails) -> AccessToken {
        let access: AccessToken
        if let known = verified.lookUp(token) { access = known } else { access = try decode(token) }
        guard access.expiresAt > now else { throw ProblemDetails(status: .unauthorized, detail: "The bearer token has expired.") }
        guard !revocations.revokes(access) else {
            throw ProblemDetails(status: .unauthorized, detail: "The bearer token was revoked; ask your station for a new one.")
        }
        return access
    }

    /// Checks the signature and reads the payload, remembering the result for next time.
    private func decode(_ token: String) throws(ProblemDetails) -> AccessToken {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "sw1", let signature = Data(base64URLEncoded: String(parts[2])),
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data("sw1.\(parts[1])".utf8), using: key),
            let payload = Data(base64URLEncoded: String(parts[1]))
        else { throw ProblemDetails(status: .unauthorized, detail: "The bearer token is not valid; ask your station for a new one.") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        guard let access = try? decoder.decode(AccessToken.self, from: payload) else {
            throw ProblemDetails(status: .unauthorized, detail: "The bearer token is not valid; ask your station for a new one.")
        }
        verified.remember(token, as: access)
        return access
    }

    /// The caller of `request`, who must hold one of `roles`.
    public func authenticate(_ request: Request, allowing roles: Set<AccessRole>) throws(ProblemDetails) -> AccessToken {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw ProblemDetails(status: .unauthorized, detail: "This needs a bearer token (Authorization: Bearer …).")
        }
        let access = try verify(String(header.dropFirst(7)))
        guard roles.contains(access.role) else {
            throw ProblemDetails(status: .forbidden, detail: "The role '\(access.role.rawValue)' may not do this.")
        }
        return access
    }
}

extension Data {
    /// Base64url without padding (RFC 4648 §5), as tokens and event-stream cursors carry it.
    public var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads base64url, with or without padding; `nil` when it is not.
    public init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }
}
