import Dispatch
import Synchronization

/// Where passwords are hashed: on threads of their own, never Swift's cooperative pool (a
/// 32 MiB scrypt takes tens of milliseconds in a release build and about a second in a debug
/// one; on two cores a handful at once would stall every other request, the relay's
/// heartbeat with them), and at most `limit` at once. One more is refused at once as busy:
/// a burst of sign-ins, honest or not, costs the console two cores' worth of hashing at most.
final class PasswordWork: Sendable {
    /// Every hashing slot is taken: the sign-in page asks to try again in a moment.
    struct Busy: Error {}

    let limit: Int
    private let running = Mutex(0)
    private let queue = DispatchQueue(label: "shouwang.console.passwords", attributes: .concurrent)

    init(limit: Int = 2) { self.limit = limit }

    func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async throws(Busy) -> Result {
        let admitted = running.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
        guard admitted else { throw Busy() }
        defer { running.withLock { $0 -= 1 } }
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
