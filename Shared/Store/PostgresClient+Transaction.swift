import Logging
import PostgresNIO

extension PostgresClient {
    /// Runs `body` in a transaction, like `withTransaction`, but rethrows `body`'s own error
    /// when it is what failed, so callers catch their domain errors rather than PostgresNIO's
    /// `PostgresTransactionError` wrapper. A failed commit or rollback is still thrown as is.
    public func transaction<Result>(
        logger: Logger,
        file: String = #file,
        line: Int = #line,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        do {
            return try await withTransaction(logger: logger, file: file, line: line, body)
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError, error.rollbackError == nil, error.commitError == nil, error.beginError == nil {
                throw closureError
            }
            throw error
        }
    }
}
