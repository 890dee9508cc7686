import Foundation
import Synchronization
import Testing

@testable import Console

/// The small guards a review's attacks found wanting: where a page may send someone back to,
/// how many live pages one viewer may hold open, how many passwords are hashed at once.
@Suite struct GuardsTests {
    @Test(arguments: ["/vetting", "/vetting/abc?status=pending", "/", "/dispatch#board"])
    func localPathsAreKept(_ path: String) {
        #expect(LocalPath.checked(path) == path)
    }

    @Test(arguments: [
        "//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example", "evil", "", "/ok\r\nSet-Cookie: x", "/\u{00A0}/x",
    ])
    func pathsABrowserReadsAsAnotherSiteAreRefused(_ path: String) {
        #expect(LocalPath.checked(path) == nil)
    }

    @Test func oneViewerHoldsAtMostTheirShareOfLiveStreamsAndTheConsoleItsTotal() {
        let slots = LiveSlots(perViewer: 2, total: 3)
        #expect(slots.take(for: "a") && slots.take(for: "a"))
        #expect(!slots.take(for: "a"))
        #expect(slots.take(for: "b"))
        #expect(!slots.take(for: "c"), "the console's total is reached")
        slots.give(for: "a")
        #expect(slots.take(for: "c"))
        #expect(!slots.take(for: "a"))
        slots.give(for: "b")
        #expect(slots.take(for: "a"))
        #expect(slots.count == 3)
    }

    @Test func passwordsBeyondTheHashingSlotsAreRefusedAtOnceNotQueued() async throws {
        let work = PasswordWork(limit: 1)
        let released = Mutex(false)
        let (started, start) = AsyncStream<Void>.makeStream()
        async let first: Int = work.run {
            start.yield()
            // Held on its hashing thread until the test has tried a second one.
            while !released.withLock({ $0 }) { usleep(1000) }
            return 1
        }
        var iterator = started.makeAsyncIterator()
        _ = await iterator.next()
        await #expect(throws: PasswordWork.Busy.self) { _ = try await work.run { 2 } }
        released.withLock { $0 = true }
        #expect(try await first == 1)
        #expect(try await work.run { 3 } == 3, "the slot is free again")
    }
}
