import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Store

/// Check-ins that arrive together — single posts and whole batches from many devices —
/// written in one transaction (a ``CoalescingWriter``, up to ``TestingRoutes/maximumBatch``
/// check-ins): each post is answered only after its transaction's commit.
///
/// Why batches too: under a surge every post was a transaction of its own, and each held
/// row locks (the round's and site's rows, locked FOR KEY SHARE by every check-in's
/// foreign keys) from its first statement to its commit; fewer, larger transactions hold
/// them fewer times and commit (and notify the relay) once for several posts.
struct CheckinWriter: Service {
    struct Submission: Sendable {
        /// One post's valid check-ins, each with its index in the post.
        var checkins: [Checkin]
        var scope: AccessToken
    }

    private let coalescer: CoalescingWriter<Submission, [CheckinResult]>

    init(client: PostgresClient, logger: Logger, writers: Int = 4) {
        coalescer = CoalescingWriter(
            what: "check-ins", maximumBatch: TestingRoutes.maximumBatch, writers: writers, weight: { $0.checkins.count },
            write: { try await Self.write($0, client: client, logger: logger) })
    }

    /// Writes `batch` in one transaction; one list of results per submission, in its order.
    private static func write(_ batch: [Submission], client: PostgresClient, logger: Logger) async throws
        -> [Result<[CheckinResult], any Error>]
    {
        // Every check-in of the batch gets a position of its own; its post's index comes back after.
        var checkins: [Checkin] = []
        var posts: [Int] = []
        for (post, submission) in batch.enumerated() {
            for var checkin in submission.checkins {
                checkin.index = checkins.count
                checkins.append(checkin)
                posts.append(post)
            }
        }
        do {
            let results = try await TransientConflict.retrying {
                try await client.transaction(logger: logger) { connection in
                    try await CheckinStore(connection: connection, logger: logger).checkIn(checkins) { batch[posts[$0.index]].scope }
                }
            }
            var answers = batch.map { _ in [CheckinResult]() }
            for position in checkins.indices {
                let post = posts[position]
                let own = batch[post].checkins[answers[post].count].index
                // Every check-in given to the store comes back with a result.
                var result = results[position] ?? CheckinResult(index: own, status: .invalid, reason: "not recorded; resend")
                result.index = own
                answers[post].append(result)
            }
            return answers.map { .success($0) }
        } catch {
            logger.error("check-in batch failed", metadata: ["size": "\(checkins.count)", "error": "\(LoggableError.describe(error))"])
            throw error
        }
    }

    /// Writes `checkins` (one post's valid ones) with whatever else is queued; returns their
    /// results, in the order given, after the commit.
    func submit(_ checkins: [Checkin], scope: AccessToken) async throws -> [CheckinResult] {
        guard !checkins.isEmpty else { return [] }
        return try await coalescer.submit(Submission(checkins: checkins, scope: scope))
    }

    func run() async throws { try await coalescer.run() }
}
