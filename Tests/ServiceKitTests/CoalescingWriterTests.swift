import Hummingbird
import ServiceKit
import Synchronization
import TestSupport
import Testing

/// The queue under every coalesced write (check-ins, reservations): callers that arrive
/// together share a batch, each gets its own answer, and nobody is left waiting.
@Suite struct CoalescingWriterTests {
    struct Refused: Error, Equatable {
        var job: Int
    }

    struct BatchFailed: Error, Equatable {}

    /// Batch sizes seen by the write, and a gate that holds the first batch until opened,
    /// so the jobs that arrive meanwhile must queue behind it.
    final class Probe: Sendable {
        let sizes = Mutex<[Int]>([])
        let (gate, open) = AsyncStream<Void>.makeStream()
        let firstHeld = Mutex(false)

        func write(_ jobs: [Int]) async throws -> [Result<Int, any Error>] {
            sizes.withLock { $0.append(jobs.count) }
            if !firstHeld.withLock({ held in
                defer { held = true }
                return held
            }) {
                for await _ in gate { break }
            }
            if jobs.contains(-1) { throw BatchFailed() }
            return jobs.map { $0 % 7 == 0 ? .failure(Refused(job: $0)) : .success($0 * 10) }
        }
    }

    /// Until the writer's `run()` has begun (it runs beside the test's body).
    static func started(_ writer: CoalescingWriter<Int, Int>) async throws {
        while !writer.isAccepting { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test func jobsThatArriveWhileABatchIsInFlightShareTheNextAndEachGetsItsOwnAnswer() async throws {
        let probe = Probe()
        let writer = CoalescingWriter<Int, Int>(what: "tests", maximumBatch: 50, writers: 1) { try await probe.write($0) }
        let answers = try await withRunningServices([writer]) {
            try await Self.started(writer)
            return try await withThrowingTaskGroup(of: (Int, Result<Int, Refused>).self) { group in
                group.addTask { (1, .success(try await writer.submit(1))) }
                // The first batch is in flight (held at the gate) before the others are sent.
                while probe.sizes.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(1)) }
                for job in 2...120 {
                    group.addTask {
                        do { return (job, .success(try await writer.submit(job))) } catch let refused as Refused {
                            return (job, .failure(refused))
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(200))
                probe.open.yield()
                return try await group.reduce(into: [Int: Result<Int, Refused>]()) { $0[$1.0] = $1.1 }
            }
        }
        #expect(answers.count == 120)
        for job in 1...120 {
            #expect(answers[job] == (job % 7 == 0 ? .failure(Refused(job: job)) : .success(job * 10)), "job \(job)")
        }
        let sizes = probe.sizes.withLock { $0 }
        #expect(sizes.first == 1)
        #expect(sizes.dropFirst().allSatisfy { $0 <= 50 }, "never more than the maximum batch: \(sizes)")
        #expect(sizes.count <= 1 + 3 + 1, "119 queued jobs in batches of up to 50, not one by one: \(sizes)")
        #expect(sizes.reduce(0, +) == 120)
    }

    @Test func aBatchThatFailsWholeIsWrittenAgainJobByJobSoOnlyTheBrokenJobFails() async throws {
        let probe = Probe()
        let writer = CoalescingWriter<Int, Int>(what: "tests", maximumBatch: 50, writers: 1) { try await probe.write($0) }
        let answers = try await withRunningServices([writer]) {
            try await Self.started(writer)
            return try await withThrowingTaskGroup(of: (Int, Result<Int, BatchFailed>).self) { group in
                group.addTask { (1, .success(try await writer.submit(1))) }
                while probe.sizes.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(1)) }
                // These three queue behind the held batch, so they are written together; -1 breaks that write.
                for job in [2, -1, 3] {
                    group.addTask {
                        do { return (job, .success(try await writer.submit(job))) } catch let failed as BatchFailed {
                            return (job, .failure(failed))
                        }
                    }
                }
                while writer.queued < 3 { try await Task.sleep(for: .milliseconds(1)) }
                probe.open.yield()
                return try await group.reduce(into: [Int: Result<Int, BatchFailed>]()) { $0[$1.0] = $1.1 }
            }
        }
        #expect(answers[1] == .success(10))
        #expect(answers[2] == .success(20), "written again alone, it succeeds")
        #expect(answers[3] == .success(30))
        guard case .failure? = answers[-1] else {
            Issue.record("the broken job should fail, got \(String(describing: answers[-1]))")
            return
        }
        #expect(probe.sizes.withLock { $0 } == [1, 3, 1, 1, 1], "one batch of three, then each of them alone")
    }

    @Test func afterShutdownAWriteIsRefusedWith503NotLeftWaiting() async throws {
        let writer = CoalescingWriter<Int, Int>(what: "tests", maximumBatch: 10) { jobs in jobs.map { .success($0) } }
        let before = try await withRunningServices([writer]) {
            try await Self.started(writer)
            return try await writer.submit(2)
        }
        #expect(before == 2)
        do {
            _ = try await writer.submit(4)
            Issue.record("a write after shutdown should be refused")
        } catch let problem as ProblemDetails {
            #expect(problem.status == .serviceUnavailable)
        }
    }
}
