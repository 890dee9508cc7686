import CZeroMQ
import Synchronization

/// The one libzmq context of a process part; every socket keeps it alive.
///
/// Threading: a context is thread-safe (libzmq guarantees it), so it is `Sendable`.
/// Ownership: ``shutdown()`` may be called from any thread and makes every blocking call on
/// its sockets return `ETERM`, so their owners close them and leave. ``terminate()`` runs
/// last, once no socket is open; it is also what `deinit` does.
public final class ZMQContext: Sendable {
    private let handle: Mutex<UnsafeMutableRawPointer?>

    /// Creates a context with `ioThreads` background I/O threads (one is enough below ~1 GB/s).
    public init(ioThreads: Int32 = 1) throws(ZMQError) {
        guard let ctx = zmq_ctx_new() else { throw ZMQError.last("create context") }
        zmq_ctx_set(ctx, ZMQ_IO_THREADS, ioThreads)
        // Sockets a careless owner forgets must not keep the process alive at exit.
        zmq_ctx_set(ctx, ZMQ_BLOCKY, 0)
        handle = Mutex(ctx)
    }

    /// The raw pointer, for ``ZMQSocket`` only.
    var pointer: UnsafeMutableRawPointer {
        get throws(ZMQError) {
            guard let ctx = handle.withLock({ $0 }) else { throw ZMQError(code: ETERM, operation: "use context") }
            return ctx
        }
    }

    /// Interrupts every blocking call on this context's sockets with `ETERM`. Idempotent.
    public func shutdown() {
        handle.withLock { ctx in
            if let ctx { _ = zmq_ctx_shutdown(ctx) }
        }
    }

    /// Shuts down and destroys the context. Blocks until every socket is closed, so call it
    /// after the owning threads have ended.
    public func terminate() {
        let ctx = handle.withLock { ctx -> UnsafeMutableRawPointer? in
            defer { ctx = nil }
            return ctx
        }
        guard let ctx else { return }
        while zmq_ctx_term(ctx) != 0 && zmq_errno() == EINTR {}
    }

    deinit { terminate() }

    /// Runs `body` with a new context and terminates it afterwards — on a thread of its own,
    /// since `zmq_ctx_term` blocks while sockets linger and must not hold a thread of
    /// Swift's cooperative pool. The context is shut down first, so owner threads still
    /// blocked in libzmq see `ETERM` and close their sockets.
    public static func withContext<Result: Sendable>(
        ioThreads: Int32 = 1, _ body: (ZMQContext) async throws -> Result
    ) async throws -> Result {
        let context = try ZMQContext(ioThreads: ioThreads)
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await body(context))
        } catch {
            result = .failure(error)
        }
        context.shutdown()
        _ = try? await ZMQOwnerThread.run(name: "zmq.terminate") { context.terminate() }
        return try result.get()
    }

    /// The libzmq version linked at run time, e.g. `"4.3.4"`.
    public static var libraryVersion: String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
