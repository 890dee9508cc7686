import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Store
import Synchronization

/// Coalesces single check-ins that arrive together into one transaction.
///
/// PostgreSQL commits about a thousand single rows a second per connection here, far below
/// a sampling surge; so each post waits in a queue, and a few writer loops each take
/// everything queued (up to 500) and commit it together, answering every post only after
/// its commit. Under light load a post is written alone at once; under heavy load batches
/// grow by themselves while the previous commit is in flight (no timer, no added delay).
///
/// Ownership: the queue is a `Mutex`; posts enqueue from any task, only the writer loops
/// started by ``run()`` (a `Service` in the application's group) dequeue.
final class CheckinWriter: Service, Sendable {
    struct Submission: Sendable {
        var checkin: Checkin
        var scope: AccessToken
        var answer: CheckedContinuation<CheckinResult, any Error>
    }

    private let client: PostgresClient
    private let logger: Logger
    private let writers: Int
    private struct Queue {
        var submissions: [Submission] = []
        var accepting = false
    }

    private let queue = Mutex(Queue())
    private let signal: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(client: PostgresClient, logger: Logger, writers: Int = 4) {
        self.client = client
        self.logger = logger
        self.writers = writers
        (signal, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Writes `checkin` with whatever else is queued; returns its own result after the commit.
    func submit(_ checkin: Checkin, scope: AccessToken) async throws -> CheckinResult {
        try await withCheckedThrowingContinuation { answer in
            // Checked and queued under one lock, so shutdown cannot slip in between.
            let queued = queue.withLock { queue -> Bool in
                guard queue.accepting else { return false }
                queue.submissions.append(Submission(checkin: checkin, scope: scope, answer: answer))
                return true
            }
            if queued {
                wake.yield()
            } else {
                answer.resume(
                    throwing: ProblemDetails(
                        status: .serviceUnavailable, detail: "Check-ins are not being written right now; resend shortly."))
            }
        }
    }

    func run() async throws {
        queue.withLock { $0.accepting = true }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Until shutdown (or cancellation); then refuse new posts and let the loops
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
            let batch = queue.withLock { queue -> [Submission] in
                let taken = Array(queue.submissions.prefix(TestingRoutes.maximumBatch))
                queue.submissions.removeFirst(taken.count)
                return taken
            }
            if batch.isEmpty {
                guard await wakeups.next() != nil else { return }
                continue
            }
            // Another loop may find more while this one commits.
            if queue.withLock({ !$0.submissions.isEmpty }) { wake.yield() }
            await write(batch)
        }
    }

    private func write(_ batch: [Submission]) async {
        let checkins = batch.enumerated().map { index, submission in
            var checkin = submission.checkin
            checkin.index = index
            return checkin
        }
        do {
            let results = try await TransientConflict.retrying {
                try await client.transaction(logger: logger) { connection in
                    try await CheckinStore(connection: connection, logger: logger).checkIn(checkins) { batch[$0.index].scope }
                }
            }
            for (index, submission) in batch.enumerated() {
                // Every check-in given to the store comes back with a result.
                var result = results[index] ?? CheckinResult(index: 0, status: .invalid, reason: "not recorded; resend")
                result.index = 0
                submission.answer.resume(returning: result)
            }
        } catch {
            logger.error("check-in batch failed", metadata: ["size": "\(batch.count)", "error": "\(LoggableError.describe(error))"])
            for submission in batch { submission.answer.resume(throwing: error) }
        }
    }

    private func failRemaining() {
        let left = queue.withLock { queue in
            defer { queue.submissions.removeAll() }
            return queue.submissions
        }
        for submission in left {
            submission.answer.resume(
                throwing: ProblemDetails(status: .serviceUnavailable, detail: "The service is stopping; resend the check-in."))
        }
    }
}
