import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// The SQL of console accounts. Passwords never leave this type but as a scrypt hash.
///
/// Concurrency: usernames are unique in the table, so two operators adding the same name at
/// once get one account and one clear refusal.
public struct AccountStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    let passwords: PasswordWork

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        self.passwords = PasswordWork()
    }

    /// Stores a new account; refuses a username already taken.
    @discardableResult
    public func add(_ account: AccountForm.Valid) async throws -> Account {
        let id = UUID()
        let password = account.password
        let hash = try await passwords.run { try? PasswordHash.make(password).stored }.orThrow()
        do {
            try await client.query(
                """
                INSERT INTO console_accounts (id, username, role, area, password_hash)
                VALUES (\(id), \(account.username), \(account.role.rawValue), \(account.area?.rawValue), \(hash))
                """,
                logger: logger
            )
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw AccountFormError(problems: ["the username \(account.username) is taken"])
        }
        return Account(id: id, username: account.username, role: account.role, area: account.area)
    }

    /// The account `username` signs in as with `password`; `nil` for a wrong name or password
    /// or a disabled account, which the sign-in page does not tell apart. Throws
    /// ``PasswordWork/Busy`` when every hashing slot is taken.
    func signIn(username: String, password: String) async throws -> Account? {
        let rows = try await client.query(
            "SELECT id, role, area, password_hash FROM console_accounts WHERE username = \(username) AND disabled_at IS NULL",
            logger: logger
        ).decode((UUID, String, String?, String).self).collectAll()
        guard let (id, role, area, stored) = rows.first else {
            // The same work as a real check, so a wrong name takes as long as a wrong password.
            _ = try await passwords.run { Self.decoy.matches(password) }
            return nil
        }
        guard let hash = PasswordHash(stored: stored), try await passwords.run({ hash.matches(password) }),
            let role = AccessRole(rawValue: role)
        else { return nil }
        return Account(id: id, username: username, role: role, area: area.flatMap(AreaCode.init))
    }

    private static let decoy =
        (try? PasswordHash.make("decoy-\(UUID())"))
        ?? PasswordHash(
            logRounds: PasswordHash.defaultLogRounds, blockSize: 8, parallelism: 1, salt: Data(count: 16), key: Data(count: 32))

    /// Disables `username` and ends its sessions; `false` when there is no such account.
    public func disable(username: String) async throws -> Bool {
        try await client.withTransaction(logger: logger) { connection in
            let ids = try await connection.query(
                "UPDATE console_accounts SET disabled_at = now() WHERE username = \(username) AND disabled_at IS NULL RETURNING id",
                logger: logger
            ).decode(UUID.self).collectAll()
            for id in ids { try await connection.query("DELETE FROM console_sessions WHERE account_id = \(id)", logger: logger) }
            return !ids.isEmpty
        }
    }

    /// Every account, for `shouwang users list`: names, roles and areas, never hashes.
    public func list() async throws -> [(username: String, role: String, area: String?, disabled: Bool)] {
        try await client.query(
            "SELECT username, role, area, disabled_at IS NOT NULL FROM console_accounts ORDER BY username", logger: logger
        ).decode((String, String, String?, Bool).self).collectAll().map { ($0.0, $0.1, $0.2, $0.3) }
    }
}

extension Optional {
    /// The value, or the error of a hash that could not be made (the KDF refused its parameters).
    fileprivate func orThrow() throws -> Wrapped {
        guard let self else { throw AccountFormError(problems: ["the password could not be hashed"]) }
        return self
    }
}
