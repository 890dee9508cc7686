import PostgresNIO

/// Deadlocks (40P01) and serialization failures (40001): PostgreSQL aborted the transaction
/// so another could go on, and the same transaction run again will usually succeed.
public enum TransientConflict {
    /// Whether `error` (possibly wrapped by ``PostgresClient/transaction(logger:file:line:_:)``)
    /// is such an abort.
    public static func matches(_ error: any Error) -> Bool {
        let underlying = (error as? PostgresTransactionError)?.closureError ?? error
        guard let state = (underlying as? PSQLError)?.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }

    /// Runs `transaction`, running it again (up to `attempts` times in all) when PostgreSQL
    /// aborted it as a deadlock victim or for serialization.
    public static func retrying<Result: Sendable>(attempts: Int = 3, _ transaction: () async throws -> Result) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await transaction()
            } catch  where matches(error) && attempt < attempts {
                attempt += 1
            }
        }
    }
}
