import Logging
import PostgresNIO

extension DatabaseURL {
    /// Runs `body` with a pooled client of this database that lives only as long as `body`:
    /// what a command-line tool, a start-up step or a test needs for a few queries.
    ///
    /// `body` starts only once the client's `run()` has begun, so the pool never sees a
    /// lease before it runs (PostgresNIO warns about that on every such lease).
    public func withClient<Result: Sendable>(
        maximumConnections: Int = 4, logger: Logger, _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: clientConfiguration(maximumConnections: maximumConnections), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            let (started, starting) = AsyncStream<Void>.makeStream()
            group.addTask {
                starting.finish()
                // No suspension between the signal and run()'s first step, which marks it running.
                await client.run()
            }
            defer { group.cancelAll() }
            for await _ in started {}
            await Task.yield()
            return try await body(client)
        }
    }
}
