import Logging
import ServiceLifecycle

/// Runs `services` in a `ServiceGroup` around `body`, then shuts them down gracefully, the
/// way SIGTERM would: the same code path as production, in-process.
public func withRunningServices<Result: Sendable>(
    _ services: [any Service], _ body: () async throws -> Result
) async throws -> Result {
    let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: .test))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}
