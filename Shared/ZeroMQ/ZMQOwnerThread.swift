import Foundation

/// A dedicated thread that owns sockets for its whole life.
///
/// libzmq calls block, so they must never run on Swift's cooperative pool or a NIO event
/// loop. `run` starts a thread, runs `body` there (create the sockets inside it), and
/// resumes the awaiting task when `body` returns, so the thread's life is structured like
/// a child task's. To end it, shut the sockets' context down (``ZMQContext/shutdown()``)
/// or make `body` observe a flag it polls; cancelling the awaiting task does neither by
/// itself.
public enum ZMQOwnerThread {
    /// Runs `body` on a new thread named `name` and returns what it returns.
    public static func run<Result: Sendable>(
        name: String,
        _ body: @escaping @Sendable () throws -> Result
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try body() })
            }
            thread.name = name
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
