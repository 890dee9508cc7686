import EventBus
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Tokens taken back before they expire: a volunteer's phone lost, or the volunteer
/// suspended, withdrawn or rejected. A revocation names a holder (role and subject) and a
/// moment; every token of that holder issued at or before it is refused from then on.
///
/// The revocations live in the core table `token_revocations` (intake writes it when staff
/// revoke a volunteer's tokens or the volunteer goes off duty); every process keeps them in
/// memory, reloaded every ``refreshInterval`` by ``refresher(client:logger:)``, so the
/// synchronous token check asks no database. A revocation therefore holds in every replica
/// of every service within one refresh interval (about 2 seconds) of its commit, and at
/// once in the replica that wrote it (``note(role:subject:before:)``). It is checked on
/// every use of a token, after ``VerifiedTokens``' cache, so that cache cannot outlive it.
public final class TokenRevocations: Sendable {
    /// How often each process reloads the revocations: the bound on how long a revoked
    /// token still works somewhere.
    public static let refreshInterval: Duration = .seconds(2)

    private let entries = Mutex<[String: Date]>([:])

    public init() {}

    /// Whether `access` was issued at or before its holder's latest revocation.
    public func revokes(_ access: AccessToken) -> Bool {
        // Built outside the lock that every request takes.
        let key = Self.key(access.role, access.subject)
        guard let before = entries.withLock({ $0[key] }) else { return false }
        return (access.issuedAt ?? .distantPast) <= before
    }

    /// Records a revocation this process has just committed, so it holds here at once.
    public func note(role: AccessRole, subject: String, before: Date) {
        entries.withLock { entries in
            let key = Self.key(role, subject)
            entries[key] = max(entries[key] ?? .distantPast, before)
        }
    }

    /// Merges what the table holds now, keeping the later moment per holder: a reload whose
    /// query ran before this process's own revocation committed must not erase the ``note``.
    /// (Revocations are never lifted, only superseded by later ones, so nothing is removed.)
    func merge(_ loaded: [String: Date]) {
        entries.withLock { entries in
            for (key, before) in loaded { entries[key] = max(entries[key] ?? .distantPast, before) }
        }
    }

    /// The reload as a service of the group. Revocations older than the longest token life
    /// (366 days) take nothing back any more and are not loaded.
    public func refresher(client: PostgresClient, logger: Logger) -> PeriodicWork {
        PeriodicWork("token revocations", every: Self.refreshInterval, logger: logger) {
            var loaded: [String: Date] = [:]
            for try await (role, subject, before) in try await client.query(
                "SELECT role, subject, revoked_before FROM token_revocations WHERE revoked_before > now() - interval '367 days'",
                logger: logger
            ).decode((String, String, Date).self) {
                guard let role = AccessRole(rawValue: role) else { continue }
                loaded[Self.key(role, subject)] = before
            }
            self.merge(loaded)
        }
    }

    /// A volunteer's subject is their id, however a client spelled the UUID.
    private static func key(_ role: AccessRole, _ subject: String) -> String {
        role.rawValue + " " + (role == .volunteer ? subject.lowercased() : subject)
    }
}
