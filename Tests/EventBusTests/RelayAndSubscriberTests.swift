import Bus
import Foundation
import Logging
import Models
import PostgresNIO
import Synchronization
import TestSupport
import Testing

@testable import EventBus

/// Outbox → relay → bus → subscriber, in-process, against real PostgreSQL and libzmq.
@Suite struct RelayAndSubscriberTests {
    static func events(_ count: Int, stream: String, topics: Int, from start: Int = 0) -> [OutboxEvent] {
        (start..<(start + count)).map { n in
            OutboxEvent(
                topic: try! Topic("\(stream).probe.p\(n % topics)"), key: "k\(n)", area: "320505", data: .object(["n": .number(Double(n))]))
        }
    }

    static func endpoints() -> BusEndpoints {
        let (publish, subscribe, replay) = FreePort.busEndpoints()
        return BusEndpoints(publish: publish, subscribe: subscribe, replay: replay)
    }

    static func relay(_ stream: String, _ database: TestDatabase, _ endpoints: BusEndpoints) -> OutboxRelay {
        var configuration = RelayConfiguration(stream: stream, database: database.url, bus: endpoints)
        configuration.batchSize = 200
        return OutboxRelay(configuration: configuration, logger: .test)
    }

    @Test func concurrentWritersGetGapFreeSequencesPerTopic() async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            try await withRunningServices([Self.relay("load", database, Self.endpoints())]) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<8 {
                        group.addTask {
                            for round in 0..<20 {
                                try await client.withTransaction(logger: .test) { connection in
                                    try await Outbox.append(
                                        Self.events(25, stream: "load", topics: 3, from: (writer * 20 + round) * 25), on: connection,
                                        logger: .test)
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let done = try await eventually {
                    try await database.scalar("SELECT count(*)::int FROM outbox WHERE seq IS NULL", as: Int.self) == 0
                }
                #expect(done)
            }
        }
        for topic in ["load.probe.p0", "load.probe.p1", "load.probe.p2"] {
            let count = try await database.scalar("SELECT count(*)::int FROM outbox WHERE topic = \(topic)", as: Int.self) ?? -1
            let distinct = try await database.scalar("SELECT count(DISTINCT seq)::int FROM outbox WHERE topic = \(topic)", as: Int.self)
            let highest = try await database.scalar("SELECT max(seq)::int FROM outbox WHERE topic = \(topic)", as: Int.self)
            let head = try await database.scalar("SELECT head::int FROM topic_heads WHERE topic = \(topic)", as: Int.self)
            #expect(count > 0)
            #expect(distinct == count)
            #expect(highest == count)
            #expect(head == count)
        }
        let total = try await database.scalar("SELECT count(*)::int FROM outbox", as: Int.self)
        #expect(total == 8 * 20 * 25)
    }

    @Test func aSubscriberGetsEarlierEventsByReplayAndLaterOnesLiveEachOnceInOrder() async throws {
        let database = try await TestDatabase.create()
        let bus = try TestBus.create(database)
        let endpoints = try await bus.client("live")
        let received = Recorder<EventEnvelope>()
        try await database.withClient { client in
            try await withRunningServices(bus.services(client: client).services + [Self.relay("live", database, endpoints)]) {
                try await client.withTransaction(logger: .test) { connection in
                    try await Outbox.append(Self.events(1500, stream: "live", topics: 3), on: connection, logger: .test)
                }
                let subscriber = BusSubscriber(
                    configuration: SubscriberConfiguration(endpoints: endpoints, prefix: "live.", start: .beginning), logger: .test
                )
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await subscriber.run { batch in received.append(contentsOf: batch) }
                    }
                    for chunk in 0..<15 {
                        try await client.withTransaction(logger: .test) { connection in
                            try await Outbox.append(
                                Self.events(100, stream: "live", topics: 3, from: 1500 + chunk * 100), on: connection, logger: .test)
                        }
                    }
                    // A generous bound: a shared CI machine can be slow, never wrong.
                    let all = await eventually(timeout: .seconds(90)) { received.count >= 3000 }
                    #expect(all)
                    group.cancelAll()
                }
            }
        }
        let events = received.all
        #expect(events.count == 3000)
        #expect(Set(events.map(\.id)).count == 3000)
        for topic in ["live.probe.p0", "live.probe.p1", "live.probe.p2"] {
            let seqs = events.filter { $0.topic.rawValue == topic }.map(\.seq)
            #expect(seqs == Array(1...Int64(seqs.count)))
        }
        #expect(events.allSatisfy { $0.area == "320505" && $0.stream == "live" })
    }

    @Test func theInboxAppliesAnEffectOncePerEventAndSavesPositions() async throws {
        let database = try await TestDatabase.create()
        let inbox = Inbox(consumer: "test.counter")
        let batch = (1...5).map { seq in
            EventEnvelope(
                id: UUID(), topic: "intake.request.created", seq: Int64(seq), stream: "intake", occurredAt: Date(), key: "r\(seq)",
                data: .null)
        }
        try await database.withClient { client in
            try await client.query("CREATE TABLE effects (event_id uuid NOT NULL)", logger: .test)
            let effect: (EventEnvelope, PostgresConnection) async throws -> Void = { event, connection in
                try await connection.query("INSERT INTO effects VALUES (\(event.id))", logger: .test)
            }
            let first = try await inbox.process(Array(batch.prefix(3)), client: client, logger: .test, effect: effect)
            let second = try await inbox.process(batch, client: client, logger: .test, effect: effect)
            #expect(first.map(\.seq) == [1, 2, 3])
            #expect(second.map(\.seq) == [4, 5])
            #expect(try await inbox.positions(client: client, logger: .test) == ["intake.request.created": 5])
        }
        #expect(try await database.scalar("SELECT count(*)::int FROM effects", as: Int.self) == 5)
        #expect(try await database.scalar("SELECT count(DISTINCT event_id)::int FROM effects", as: Int.self) == 5)
    }

    @Test func aFailingEffectLeavesNothingRecorded() async throws {
        let database = try await TestDatabase.create()
        let inbox = Inbox(consumer: "test.failing")
        let event = EventEnvelope(
            id: UUID(), topic: "intake.request.created", seq: 1, stream: "intake", occurredAt: Date(), key: "r", data: .null)
        struct Refused: Error {}
        try await database.withClient { client in
            await #expect(throws: Refused.self) {
                try await inbox.process([event], client: client, logger: .test) { _, _ in throw Refused() }
            }
            let positions = try await inbox.positions(client: client, logger: .test)
            #expect(positions.isEmpty)
        }
        #expect(try await database.scalar("SELECT count(*)::int FROM inbox", as: Int.self) == 0)
    }
}
