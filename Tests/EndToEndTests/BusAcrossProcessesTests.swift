import EventBus
import Foundation
import Models
import PostgresNIO
import TestSupport
import Testing

/// The bus's promises, with every part in its own process, as in production.
@Suite(.serialized) struct BusAcrossProcessesTests {
    @Test func twoPublishersAndARestartedDurableSubscriberLoseNothingAndRepeatNothing() async throws {
        let suite = try await Deployment.create()
        let bus = try await suite.startBus()
        let firstTail = try await suite.start("shouwang", ["tail", "", "--consumer", "e2e"])
        var publishers: [ChildProcess] = []
        for stream in ["loada", "loadb"] {
            publishers.append(
                try await suite.start(
                    "shouwang", ["publish-test", "--count", "5000", "--stream", stream, "--topics", "3", "--batch", "100"], stream: stream))
        }
        // Stop the subscriber half-way, while events are still being written.
        let halfway = await eventually(timeout: .seconds(60)) { lineCount(firstTail.output) >= 3000 }
        #expect(halfway, "the first tail printed \(lineCount(firstTail.output)) lines: \(firstTail.errorOutput)")
        firstTail.terminate()
        #expect(await firstTail.waitForExit() == 0)
        for publisher in publishers {
            #expect(await publisher.waitForExit(timeout: .seconds(120)) == 0, "\(publisher.errorOutput)")
        }
        let secondTail = try await suite.start("shouwang", ["tail", "", "--consumer", "e2e"])
        let caughtUp = await eventually(timeout: .seconds(60)) { lineCount(firstTail.output) + lineCount(secondTail.output) >= 10_000 }
        #expect(caughtUp)
        try await Task.sleep(for: .milliseconds(500))  // anything extra would show up as a duplicate
        secondTail.terminate()
        _ = await secondTail.waitForExit()
        bus.terminate()

        let first = try printedEvents(firstTail.output)
        let second = try printedEvents(secondTail.output)
        let all = first + second
        #expect(first.count >= 3000 && first.count < 10_000)
        #expect(all.count == 10_000)
        #expect(Set(all.map(\.id)).count == 10_000)
        #expect(isGapFreePerTopic(all))
        #expect(Set(all.map(\.topic.stream)) == ["loada", "loadb"])
        #expect(try await suite.database.scalar("SELECT count(*)::int FROM inbox WHERE consumer = 'e2e'", as: Int.self) == 10_000)
    }

    @Test func aStandbyRelayTakesOverWhenTheLeaderIsKilled() async throws {
        let suite = try await Deployment.create()
        let bus = try await suite.startBus()
        let tail = try await suite.start("shouwang", ["tail", "fail.", "--from", "0"])
        let leader = try await suite.start("shouwang", ["relay", "--stream", "fail"], stream: "fail")
        #expect(await eventually { leader.errorOutput.contains("relay became leader") })
        let standby = try await suite.start("shouwang", ["relay", "--stream", "fail"], stream: "fail")
        try await Task.sleep(for: .milliseconds(700))
        #expect(!standby.errorOutput.contains("relay became leader"))

        let before = try await suite.start(
            "shouwang", ["publish-test", "--no-relay", "--stream", "fail", "--count", "2000"], stream: "fail")
        #expect(await before.waitForExit(timeout: .seconds(60)) == 0)
        leader.kill()
        let killedAt = ContinuousClock.now
        let after = try await suite.start(
            "shouwang", ["publish-test", "--no-relay", "--stream", "fail", "--count", "2000"], stream: "fail")
        #expect(await after.waitForExit(timeout: .seconds(60)) == 0, "nobody sequenced the events written after the kill")
        #expect(await eventually { standby.errorOutput.contains("relay became leader") })
        #expect(ContinuousClock.now - killedAt < .seconds(30))

        #expect(await eventually(timeout: .seconds(30)) { lineCount(tail.output) >= 4000 })
        try await Task.sleep(for: .milliseconds(300))
        let events = try printedEvents(tail.output)
        #expect(events.count == 4000)
        #expect(isGapFreePerTopic(events))
        for process in [tail, standby, bus] { process.terminate() }
    }

    @Test func subscribersRecoverWhatPassedWhileTheBusWasDown() async throws {
        let suite = try await Deployment.create()
        var bus = try await suite.startBus()
        let relay = try await suite.start("shouwang", ["relay", "--stream", "restart"], stream: "restart")
        let tail = try await suite.start("shouwang", ["tail", "restart.", "--from", "0"])
        let first = try await suite.start(
            "shouwang", ["publish-test", "--no-relay", "--stream", "restart", "--count", "1000"], stream: "restart")
        #expect(await first.waitForExit(timeout: .seconds(60)) == 0)
        #expect(await eventually { lineCount(tail.output) >= 1000 })

        bus.terminate()
        #expect(await bus.waitForExit(timeout: .seconds(15)) == 0, "the bus did not shut down gracefully")
        let whileDown = try await suite.start(
            "shouwang", ["publish-test", "--no-relay", "--stream", "restart", "--count", "1000"], stream: "restart")
        #expect(await whileDown.waitForExit(timeout: .seconds(60)) == 0)
        bus = try await suite.startBus()

        #expect(await eventually(timeout: .seconds(30)) { lineCount(tail.output) >= 2000 })
        try await Task.sleep(for: .milliseconds(300))
        let events = try printedEvents(tail.output)
        #expect(events.count == 2000)
        #expect(isGapFreePerTopic(events))
        for process in [tail, relay, bus] { process.terminate() }
    }

    @Test func aLostTailIsFetchedOnceTheHeartbeatAnnouncesIt() async throws {
        let suite = try await Deployment.create()
        let bus = try await suite.startBus()
        let relay = try await suite.start("shouwang", ["relay", "--stream", "tail"], stream: "tail")
        let tail = try await suite.start("shouwang", ["tail", "tail.", "--from", "0"])
        let publisher = try await suite.start(
            "shouwang", ["publish-test", "--no-relay", "--stream", "tail", "--topics", "1", "--count", "100"], stream: "tail")
        #expect(await publisher.waitForExit(timeout: .seconds(60)) == 0)
        #expect(await eventually { lineCount(tail.output) >= 100 })

        // A leader that numbered five events and died before publishing them: they are in
        // the outbox with their sequence numbers, and nothing will ever send them live.
        try await suite.database.withClient { client in
            try await client.transaction(logger: .test) { connection in
                try await connection.query(
                    """
                    INSERT INTO outbox (id, stream, topic, seq, key, data, sequenced_at)
                    SELECT gen_random_uuid(), 'tail', 'tail.probe.p0', 100 + n, 'lost-' || n, '{}'::jsonb, now()
                    FROM generate_series(1, 5) AS n
                    """,
                    logger: .test
                )
                try await connection.query("UPDATE topic_heads SET head = 105 WHERE topic = 'tail.probe.p0'", logger: .test)
            }
        }
        #expect(await eventually(timeout: .seconds(15)) { lineCount(tail.output) >= 105 })
        let events = try printedEvents(tail.output)
        #expect(events.count == 105)
        #expect(events.suffix(5).map(\.key) == ["lost-1", "lost-2", "lost-3", "lost-4", "lost-5"])
        #expect(isGapFreePerTopic(events))
        for process in [tail, relay, bus] { process.terminate() }
    }
}
