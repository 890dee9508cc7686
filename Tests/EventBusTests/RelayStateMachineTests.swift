import Testing

@testable import EventBus

/// Leadership and pacing of the relay, without a database.
@Suite struct RelayStateMachineTests {
    func machine() -> RelayStateMachine {
        RelayStateMachine(batchSize: 100, heartbeatIntervalMilliseconds: 1000, retryMilliseconds: 500)
    }

    @Test func aStandbyAsksAgainAfterTheRetryIntervalAndIgnoresWakeups() {
        var relay = machine()
        #expect(relay.lockAnswered(acquired: false) == .tryLock(afterMilliseconds: 500))
        #expect(relay.role == .standby)
        #expect(relay.woke(atMilliseconds: 10) == .wait)
    }

    @Test func aNewLeaderSequencesAtOnceThenAnnouncesHeads() {
        var relay = machine()
        #expect(relay.lockAnswered(acquired: true) == .sequence)
        #expect(relay.role == .leader)
        #expect(relay.sequenced(count: 3, atMilliseconds: 0) == .heartbeat)
        #expect(relay.heartbeatSent(atMilliseconds: 0) == .wait)
    }

    @Test func fullBatchesAreFollowedByAnotherBatchAtOnce() {
        var relay = machine()
        _ = relay.lockAnswered(acquired: true)
        _ = relay.heartbeatSent(atMilliseconds: 0)
        #expect(relay.sequenced(count: 100, atMilliseconds: 10) == .sequence)
        #expect(relay.sequenced(count: 99, atMilliseconds: 20) == .wait)
    }

    @Test func aDrainingBacklogStillSendsHeartbeatsThenGoesOn() {
        var relay = machine()
        _ = relay.lockAnswered(acquired: true)
        _ = relay.heartbeatSent(atMilliseconds: 0)
        #expect(relay.sequenced(count: 100, atMilliseconds: 500) == .sequence)
        #expect(relay.sequenced(count: 100, atMilliseconds: 1000) == .heartbeat)
        #expect(relay.heartbeatSent(atMilliseconds: 1001) == .sequence)
        #expect(relay.sequenced(count: 3, atMilliseconds: 1002) == .wait)
    }

    @Test func heartbeatsFollowTheInterval() {
        var relay = machine()
        _ = relay.lockAnswered(acquired: true)
        _ = relay.heartbeatSent(atMilliseconds: 0)
        #expect(relay.woke(atMilliseconds: 999) == .sequence)
        #expect(relay.sequenced(count: 0, atMilliseconds: 999) == .wait)
        #expect(relay.sequenced(count: 0, atMilliseconds: 1000) == .heartbeat)
    }

    @Test func losingTheConnectionLosesLeadership() {
        var relay = machine()
        _ = relay.lockAnswered(acquired: true)
        #expect(relay.connectionLost() == .tryLock(afterMilliseconds: 500))
        #expect(relay.role == .standby)
        #expect(relay.woke(atMilliseconds: 0) == .wait)
    }
}
