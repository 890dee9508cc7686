import Logging
import PostgresNIO

extension DatabaseURL {
    /// Runs `body` with a pooled client of this database that lives only as long as `body`:
    /// what a command-line tool needs for a few queries.
    public func withClient<Result: Sendable>(
        maximumConnections: Int = 4, logger: Logger, _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: clientConfiguration(maximumConnections: maximumConnections), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
