import Foundation
import Models
import Testing

@testable import EventBus

/// The gap-and-replay protocol, driven without sockets.
@Suite struct SubscriberStateMachineTests {
    static func event(_ topic: String, _ seq: Int64) -> EventEnvelope {
        EventEnvelope(
            id: UUID(), topic: try! Topic(topic), seq: seq, stream: "intake", occurredAt: Date(timeIntervalSince1970: 0),
            key: "k\(seq)", data: .object([:])
        )
    }

    static let created = "intake.request.created"

    @Test func startFromBeginningAsksForEverythingUnderThePrefix() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .beginning)
        let output = machine.start(atMilliseconds: 0)
        #expect(output.replay == ReplayRequest(.prefix("intake.", after: [:]), limit: 1000))
    }

    @Test func startNowAsksOnlyForHeadsAndThenDeliversWhatFollows() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .now)
        #expect(machine.start(atMilliseconds: 0).replay?.limit == 0)
        // Live events arriving before the heads are held, then judged against them.
        #expect(machine.receive(.event(Self.event(Self.created, 5)), atMilliseconds: 1).deliver.isEmpty)
        #expect(machine.receive(.event(Self.event(Self.created, 6)), atMilliseconds: 1).deliver.isEmpty)
        let output = machine.receive(ReplayPage(events: [], heads: [Self.created: 5]), atMilliseconds: 2)
        #expect(output.deliver.map(\.seq) == [6])
        #expect(output.replay == nil)
        #expect(machine.delivered[Self.created] == 6)
    }

    @Test func inOrderLiveEventsAreDeliveredAndRepeatsDropped() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .after([Self.created: 0]))
        _ = machine.receive(ReplayPage(events: [], heads: [:]), atMilliseconds: 0)
        var seen: [Int64] = []
        for seq in [1, 2, 2, 3, 1] as [Int64] {
            seen += machine.receive(.event(Self.event(Self.created, seq)), atMilliseconds: 0).deliver.map(\.seq)
        }
        #expect(seen == [1, 2, 3])
    }

    @Test func aGapHoldsLaterEventsAndAsksReplayFromTheLastDelivered() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .after([Self.created: 1]))
        _ = machine.receive(ReplayPage(events: [], heads: [:]), atMilliseconds: 0)
        let output = machine.receive(.event(Self.event(Self.created, 4)), atMilliseconds: 10)
        #expect(output.deliver.isEmpty)
        #expect(output.replay == ReplayRequest(.prefix("intake.", after: [Self.created: 1]), limit: 1000))
        let filled = machine.receive(
            ReplayPage(events: [Self.event(Self.created, 2), Self.event(Self.created, 3)], heads: [Self.created: 3]),
            atMilliseconds: 20
        )
        #expect(filled.deliver.map(\.seq) == [2, 3, 4])
        #expect(filled.replay == nil)
    }

    @Test func aHeartbeatAheadOfDeliveryRevealsALostTail() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .after([Self.created: 7]))
        _ = machine.receive(ReplayPage(events: [], heads: [:]), atMilliseconds: 0)
        #expect(machine.receive(.heartbeat(topic: try! Topic(Self.created), head: 7), atMilliseconds: 1).replay == nil)
        let output = machine.receive(.heartbeat(topic: try! Topic(Self.created), head: 9), atMilliseconds: 2)
        #expect(output.replay == ReplayRequest(.prefix("intake.", after: [Self.created: 7]), limit: 1000))
    }

    @Test func onlyOneReplayIsInFlightAndATruncatedPageAsksForTheNext() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .beginning, pageLimit: 2)
        _ = machine.start(atMilliseconds: 0)
        // Another gap while the first replay is out: no second request yet.
        #expect(machine.receive(.event(Self.event(Self.created, 9)), atMilliseconds: 1).replay == nil)
        let output = machine.receive(
            ReplayPage(events: [Self.event(Self.created, 1), Self.event(Self.created, 2)], heads: [Self.created: 8]),
            atMilliseconds: 2
        )
        #expect(output.deliver.map(\.seq) == [1, 2])
        #expect(output.replay == ReplayRequest(.prefix("intake.", after: [Self.created: 2]), limit: 2))
    }

    @Test func anUnansweredReplayIsSentAgainAfterTheTimeout() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .beginning, replayTimeoutMilliseconds: 3000)
        let first = machine.start(atMilliseconds: 1000).replay
        #expect(machine.tick(atMilliseconds: 3999).replay == nil)
        #expect(machine.tick(atMilliseconds: 4000).replay == first)
        #expect(machine.replayFailed(atMilliseconds: 4100).replay == nil)
        #expect(machine.tick(atMilliseconds: 7100).replay == first)
    }

    @Test func aLateOrRepeatedReplayPageChangesNothing() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .beginning)
        _ = machine.start(atMilliseconds: 0)
        let page = ReplayPage(events: [Self.event(Self.created, 1), Self.event(Self.created, 2)], heads: [Self.created: 2])
        #expect(machine.receive(page, atMilliseconds: 1).deliver.map(\.seq) == [1, 2])
        let again = machine.receive(page, atMilliseconds: 2)
        #expect(again.deliver.isEmpty)
        #expect(again.replay == nil)
    }

    @Test func eventsOutsideThePrefixAreIgnored() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .beginning)
        _ = machine.receive(ReplayPage(events: [], heads: [:]), atMilliseconds: 0)
        let output = machine.receive(.event(Self.event("intake2.request.created", 1)), atMilliseconds: 0)
        #expect(output == .init())
    }

    // MARK: The database is the source of truth

    static func event(_ topic: String, _ seq: Int64, id: UUID) -> EventEnvelope {
        EventEnvelope(
            id: id, topic: try! Topic(topic), seq: seq, stream: "intake", occurredAt: Date(timeIntervalSince1970: 0), key: "k\(seq)",
            data: .object([:]))
    }

    @Test func aSecondEventForADeliveredPlaceRaisesAnAlarmAndIsNotDelivered() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .after([Self.created: 0]))
        _ = machine.receive(ReplayPage(events: [], heads: [:]), atMilliseconds: 0)
        let real = Self.event(Self.created, 1)
        #expect(machine.receive(.event(real), atMilliseconds: 1).deliver == [real])
        #expect(machine.receive(.event(real), atMilliseconds: 2).alarms.isEmpty, "a plain repeat is no alarm")
        let forged = Self.event(Self.created, 1)
        let output = machine.receive(.event(forged), atMilliseconds: 3)
        #expect(output.deliver.isEmpty)
        #expect(output.alarms == [.init(topic: Self.created, seq: 1, first: real.id, second: forged.id, wasDelivered: true)])
    }

    @Test func twoEventsClaimingOneHeldPlaceAreBothDroppedAndReplaySettlesIt() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .after([Self.created: 1]))
        _ = machine.receive(ReplayPage(events: [], heads: [:]), atMilliseconds: 0)
        let forged = Self.event(Self.created, 3)
        let real = Self.event(Self.created, 3)
        let held = machine.receive(.event(forged), atMilliseconds: 1)
        #expect(held.replay != nil)
        let contradicted = machine.receive(.event(real), atMilliseconds: 2)
        #expect(contradicted.alarms.count == 1)
        #expect(!contradicted.alarms[0].wasDelivered)
        let two = Self.event(Self.created, 2)
        let settled = machine.receive(ReplayPage(events: [two, real], heads: [Self.created: 3]), atMilliseconds: 3)
        #expect(settled.deliver.map(\.id) == [two.id, real.id], "the database's event 3, not the forged one")
    }

    @Test func aReplayPageThatContradictsADeliveredEventRaisesAnAlarm() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .after([Self.created: 0]))
        _ = machine.receive(ReplayPage(events: [], heads: [:]), atMilliseconds: 0)
        let forged = Self.event(Self.created, 1)
        _ = machine.receive(.event(forged), atMilliseconds: 1)
        let stored = Self.event(Self.created, 1)
        let output = machine.receive(ReplayPage(events: [stored], heads: [Self.created: 1]), atMilliseconds: 2)
        #expect(output.alarms.map(\.second) == [stored.id])
    }

    @Test func aHeldEventBeyondTheHeadIsDroppedAndNoReplayLoopFollows() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .after([Self.created: 41]))
        _ = machine.receive(ReplayPage(events: [], heads: [:]), atMilliseconds: 0)
        // One forged event far ahead: a gap, so a replay…
        let first = machine.receive(.event(Self.event(Self.created, 50)), atMilliseconds: 1)
        #expect(first.replay != nil)
        // …whose answer shows that nothing beyond 41 exists.
        let answer = machine.receive(ReplayPage(events: [], heads: [Self.created: 41]), atMilliseconds: 2)
        #expect(answer.replay == nil)
        #expect(machine.tick(atMilliseconds: 10_000).replay == nil, "nothing is held or behind any more")
    }

    @Test func aReplayThatBringsNothingNewBacksOffInsteadOfLooping() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .after([Self.created: 5]))
        _ = machine.start(atMilliseconds: 0)
        // The heads say 9, yet the page is empty (an event store that cannot serve the gap).
        var sent: [Int64] = []
        var now: Int64 = 0
        _ = machine.receive(ReplayPage(events: [], heads: [Self.created: 9]), atMilliseconds: now)
        while now < 2_000 {
            now += 10
            if machine.tick(atMilliseconds: now).replay != nil {
                sent.append(now)
                _ = machine.receive(ReplayPage(events: [], heads: [Self.created: 9]), atMilliseconds: now)
            }
        }
        #expect(sent.count <= 5, "backoff 100, 200, 400, 800 ms…: \(sent)")
        #expect(sent.first == 100)
        // Once a page brings events again, the next request goes at once.
        _ = machine.tick(atMilliseconds: 10_000)
        let recovered = machine.receive(ReplayPage(events: [Self.event(Self.created, 6)], heads: [Self.created: 9]), atMilliseconds: 10_001)
        #expect(recovered.replay != nil)
    }

    @Test func liveSilenceAsksReplayAnywaySoALostSubscriptionStillDelivers() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .after([Self.created: 3]), silenceMilliseconds: 10_000)
        _ = machine.start(atMilliseconds: 0)
        _ = machine.receive(ReplayPage(events: [], heads: [Self.created: 3]), atMilliseconds: 5)
        #expect(machine.tick(atMilliseconds: 9_999).replay == nil)
        let asked = machine.tick(atMilliseconds: 10_000).replay
        #expect(asked == ReplayRequest(.prefix("intake.", after: [Self.created: 3]), limit: 1000))
        let caughtUp = machine.receive(ReplayPage(events: [Self.event(Self.created, 4)], heads: [Self.created: 4]), atMilliseconds: 10_010)
        #expect(caughtUp.deliver.map(\.seq) == [4])
        // A heartbeat is hearing the stream: no replay for another silence.
        _ = machine.receive(.heartbeat(topic: try! Topic(Self.created), head: 4), atMilliseconds: 12_000)
        #expect(machine.tick(atMilliseconds: 21_999).replay == nil)
        #expect(machine.tick(atMilliseconds: 22_000).replay != nil)
    }

    @Test func eventsAreHeldForABoundedNumberOfTopics() {
        var machine = SubscriberStateMachine(prefix: "intake.", start: .beginning, maximumHeldTopics: 2)
        _ = machine.start(atMilliseconds: 0)
        for n in 0..<10 { _ = machine.receive(.event(Self.event("intake.t\(n).x", 5)), atMilliseconds: 1) }
        // Only two topics' events were kept: the page releases them, the others come by replay.
        let output = machine.receive(
            ReplayPage(
                events: (0..<10).flatMap { n in (1...4).map { Self.event("intake.t\(n).x", $0) } },
                heads: Dictionary(uniqueKeysWithValues: (0..<10).map { ("intake.t\($0).x", 5) })),
            atMilliseconds: 2
        )
        #expect(output.deliver.count == 4 * 10 + 2)
        #expect(output.replay != nil, "the eight topics whose fifth event was not held are still behind")
    }

    /// Property: whatever the network loses, repeats or reorders, each topic's events reach
    /// the application exactly once and in order, given a replay endpoint that answers with
    /// what has been published so far.
    @Test(arguments: 0..<40)
    func everyEventArrivesOnceInOrderDespiteLossDuplicationAndReordering(seed: UInt64) {
        var random = SplitMix(seed: seed)
        let topics = ["intake.a.x", "intake.b.y", "intake.c.z"]
        var log: [String: [EventEnvelope]] = [:]
        var machine = SubscriberStateMachine(prefix: "intake.", start: .beginning, pageLimit: 7)
        var delivered: [EventEnvelope] = []
        var pending: ReplayRequest? = machine.start(atMilliseconds: 0).replay
        var delayed: [BusMessage] = []
        var clock: Int64 = 0

        func serve(_ request: ReplayRequest) -> ReplayPage {
            guard case .prefix(_, let after) = request.scope else { return ReplayPage(events: [], heads: [:]) }
            var events: [EventEnvelope] = []
            for topic in topics where log[topic] != nil {
                events += log[topic]!.filter { $0.seq > after[topic, default: 0] }.prefix(request.limit - events.count)
            }
            return ReplayPage(events: events, heads: log.mapValues { Int64($0.count) })
        }
        func arrive(_ message: BusMessage) {
            clock += 1
            let output = machine.receive(message, atMilliseconds: clock)
            delivered += output.deliver
            pending = output.replay ?? pending
        }
        func answerReplay() {
            guard let request = pending else { return }
            pending = nil
            let answer = machine.receive(serve(request), atMilliseconds: clock)
            delivered += answer.deliver
            pending = answer.replay
        }

        for step in 0..<300 {
            let topic = topics[Int(random.next() % 3)]
            let event = Self.event(topic, Int64(log[topic, default: []].count + 1))
            log[topic, default: []].append(event)
            switch random.next() % 10 {
            case 0, 1: break  // lost
            case 2:
                arrive(.event(event))
                arrive(.event(event))  // duplicated
            case 3: delayed.append(.event(event))  // overtaken by later messages
            default: arrive(.event(event))
            }
            if random.next() % 4 == 0, !delayed.isEmpty { arrive(delayed.removeFirst()) }
            if step % 25 == 24 {
                for topic in topics where log[topic] != nil {
                    arrive(.heartbeat(topic: try! Topic(topic), head: Int64(log[topic]!.count)))
                }
            }
            // The replay endpoint answers sometimes at once, sometimes later.
            if random.next() % 3 == 0 { answerReplay() }
            // Time passes: a replay put off by backoff falls due.
            clock += 10
            pending = machine.tick(atMilliseconds: clock).replay ?? pending
        }
        delayed.forEach(arrive)
        // Only the relay's heartbeats reveal a lost tail.
        for topic in topics where log[topic] != nil {
            arrive(.heartbeat(topic: try! Topic(topic), head: Int64(log[topic]!.count)))
        }
        for _ in 0..<10_000 where pending != nil || machine.isReplaying {
            if pending == nil {
                clock += 100
                pending = machine.tick(atMilliseconds: clock).replay
            } else {
                answerReplay()
            }
        }
        for topic in topics {
            #expect(delivered.filter { $0.topic.rawValue == topic }.map(\.seq) == log[topic, default: []].map(\.seq))
        }
        #expect(delivered.count == 300)
    }
}

/// A small deterministic generator, so a failing seed can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
