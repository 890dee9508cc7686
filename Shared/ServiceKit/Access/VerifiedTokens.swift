import Synchronization

/// Tokens this process has already verified, so a device posting thousands of check-ins
/// pays for the signature check and payload decoding once, not per request.
///
/// Safe to share: a token's meaning depends only on its text and the secret, both fixed for
/// the cache's life; expiry and revocation are still checked on every use (``TokenSigner/verify(_:now:)``). Bounded: when full it starts
/// over, which costs a few re-verifications and never a wrong answer.
final class VerifiedTokens: Sendable {
    private let entries = Mutex<[String: AccessToken]>([:])
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    func lookUp(_ token: String) -> AccessToken? {
        entries.withLock { $0[token] }
    }

    func remember(_ token: String, as access: AccessToken) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = access
        }
    }
}
