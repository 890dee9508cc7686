import Hummingbird
import ServiceLifecycle
import Synchronization

/// Coalesces writes that arrive together into one transaction each batch.
///
/// PostgreSQL commits about a thousand single transactions a second per connection here,
/// and a row that every write changes (one hot lot) is locked from its change to the
/// commit: far below a sampling surge or a city-wide call. So each write waits in a queue,
/// and a few writer loops each take everything queued (up to `maximumBatch`) and hand it
/// to `write`, answering every caller only after that batch's commit. Under light load a
/// write goes alone at once; under heavy load batches grow by themselves while the previous
/// commit is in flight (no timer, no added delay).
///
/// `write` answers every job of its batch, in order, with a result of its own: one
/// refused job must not fail the others. It throws only when the batch as a whole failed;
/// then each of its jobs is written again alone, so a job that breaks its transaction (or
/// a deadlock that outlasted its retries) fails only its own caller.
///
/// Ownership: the queue is a `Mutex`; callers enqueue from any task, only the writer loops
/// started by ``run()`` (a `Service` in the application's group) dequeue.
public final class CoalescingWriter<Job: Sendable, Answer: Sendable>: Service, Sendable {
    public typealias Write = @Sendable ([Job]) async throws -> [Result<Answer, any Error>]

    private struct Waiting: Sendable {
        var job: Job
        var answer: CheckedContinuation<Answer, any Error>
    }

    private struct Queue {
        var waiting: [Waiting] = []
        var accepting = false
    }

    private let what: String
    private let maximumBatch: Int
    private let writers: Int
    private let weight: @Sendable (Job) -> Int
    private let write: Write
    private let queue = Mutex(Queue())
    private let signal: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - what: the writes' name in refusals ("check-ins", "reservations").
    ///   - maximumBatch: the most one transaction takes, counted in `weight`: a job heavier
    ///     than that still goes, alone.
    ///   - writers: how many batches may be in flight at once.
    ///   - weight: what a job counts for (rows it writes, say); 1 by default.
    public init(
        what: String, maximumBatch: Int, writers: Int = 4, weight: @escaping @Sendable (Job) -> Int = { _ in 1 },
        write: @escaping Write
    ) {
        precondition(maximumBatch > 0 && writers > 0, "a coalescing writer needs room for one job and one writer")
        self.what = what
        self.maximumBatch = maximumBatch
        self.writers = writers
        self.weight = weight
        self.write = write
        (signal, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Whether writes are taken now: from the start of ``run()`` until shutdown begins.
    /// Before and after, ``submit(_:)`` answers 503 at once.
    public var isAccepting: Bool { queue.withLock { $0.accepting } }

    /// How many writes wait for a writer loop now (not those in a batch being written).
    public var queued: Int { queue.withLock { $0.waiting.count } }

    /// Writes `job` with whatever else is queued; returns its own answer after the commit.
    public func submit(_ job: Job) async throws -> Answer {
        try await withCheckedThrowingContinuation { answer in
            // Checked and queued under one lock, so shutdown cannot slip in between.
            let queued = queue.withLock { queue -> Bool in
                guard queue.accepting else { return false }
                queue.waiting.append(Waiting(job: job, answer: answer))
                return true
            }
            if queued {
                wake.yield()
            } else {
                answer.resume(
                    throwing: ProblemDetails(
                        status: .serviceUnavailable,
                        detail: "\(what.prefix(1).uppercased() + what.dropFirst()) are not being written right now; resend shortly."))
            }
        }
    }

    public func run() async throws {
        queue.withLock { $0.accepting = true }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Until shutdown (or cancellation); then refuse new writes and let the loops
                // finish what is queued.
                _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(365 * 86_400)) }
                self.queue.withLock { $0.accepting = false }
                self.wake.finish()
            }
            for _ in 0..<writers {
                group.addTask { await self.writeLoop() }
            }
        }
        failRemaining()
    }

    private func writeLoop() async {
        var wakeups = signal.makeAsyncIterator()
        while true {
            let batch = queue.withLock { queue -> [Waiting] in
                var count = 0
                var total = 0
                for waiting in queue.waiting {
                    let next = weight(waiting.job)
                    guard count == 0 || total + next <= maximumBatch else { break }
                    count += 1
                    total += next
                }
                let taken = Array(queue.waiting.prefix(count))
                queue.waiting.removeFirst(count)
                return taken
            }
            if batch.isEmpty {
                guard await wakeups.next() != nil else { return }
                continue
            }
            // Another loop may find more while this one commits.
            if queue.withLock({ !$0.waiting.isEmpty }) { wake.yield() }
            await answer(batch)
        }
    }

    private func answer(_ batch: [Waiting]) async {
        do {
            let results = try await write(batch.map(\.job))
            for (index, waiting) in batch.enumerated() {
                if index < results.count {
                    waiting.answer.resume(with: results[index])
                } else {
                    // A write that forgot a job must not leave its caller waiting forever.
                    waiting.answer.resume(
                        throwing: ProblemDetails(status: .internalServerError, detail: "This write was not recorded; resend it."))
                }
            }
        } catch {
            guard batch.count > 1 else {
                batch[0].answer.resume(throwing: error)
                return
            }
            for waiting in batch { await answer([waiting]) }
        }
    }

    private func failRemaining() {
        let left = queue.withLock { queue in
            defer { queue.waiting.removeAll() }
            return queue.waiting
        }
        for waiting in left {
            waiting.answer.resume(throwing: ProblemDetails(status: .serviceUnavailable, detail: "The service is stopping; resend."))
        }
    }
}
