import Testing

@testable import EventBus

/// The relay's stall rule, with time passed in.
@Suite struct RelayWatchdogTests {
    @Test func aRelayThatHearsBackInTimeIsLeftAlone() {
        var watchdog = RelayWatchdog(stallTimeoutMilliseconds: 10_000)
        #expect(watchdog.check(lastProgressAtMilliseconds: 0, workEnded: false, atMilliseconds: 9_999) == .healthy)
        #expect(watchdog.check(lastProgressAtMilliseconds: 9_000, workEnded: false, atMilliseconds: 18_000) == .healthy)
    }

    @Test func silenceForTheTimeoutClosesTheConnectionOnceThenGivesUpOnTheProcess() {
        var watchdog = RelayWatchdog(stallTimeoutMilliseconds: 10_000)
        #expect(
            watchdog.check(lastProgressAtMilliseconds: 0, workEnded: false, atMilliseconds: 10_000) == .stalled(idleMilliseconds: 10_000))
        #expect(
            watchdog.check(lastProgressAtMilliseconds: 0, workEnded: false, atMilliseconds: 15_000) == .healthy, "closed once, then waiting"
        )
        #expect(watchdog.check(lastProgressAtMilliseconds: 0, workEnded: false, atMilliseconds: 20_000) == .stuckAfterClose)
    }

    @Test func workThatEndedAfterTheCloseNeedsNothingMore() {
        var watchdog = RelayWatchdog(stallTimeoutMilliseconds: 1_000)
        #expect(watchdog.check(lastProgressAtMilliseconds: 0, workEnded: false, atMilliseconds: 1_000) == .stalled(idleMilliseconds: 1_000))
        #expect(watchdog.check(lastProgressAtMilliseconds: 0, workEnded: true, atMilliseconds: 5_000) == .healthy)
    }
}
