import Bus
import Foundation
import Models
import PostgresNIO
import ServiceLifecycle
import TestSupport
import Testing
import ZeroMQ

@testable import EventBus

/// The bus across a hostile network: every socket refuses unknown, revoked and
/// out-of-grant keys, against real PostgreSQL and libzmq.
@Suite struct BusSecurityTests {
    static func events(_ count: Int, stream: String, from start: Int = 0) -> [OutboxEvent] {
        (start..<(start + count)).map { n in
            OutboxEvent(
                topic: try! Topic("\(stream).probe.p\(n % 2)"), key: "k\(n)", area: "320505", data: .object(["n": .number(Double(n))]))
        }
    }

    static func relay(_ stream: String, _ database: TestDatabase, _ endpoints: BusEndpoints) -> OutboxRelay {
        var configuration = RelayConfiguration(stream: stream, database: database.url, bus: endpoints)
        configuration.batchSize = 200
        return OutboxRelay(configuration: configuration, logger: .test)
    }

    static func write(_ events: [OutboxEvent], _ client: PostgresClient) async throws {
        try await client.withTransaction(logger: .test) { connection in try await Outbox.append(events, on: connection, logger: .test) }
    }

    /// Runs `body` with a secured bus on `database` (reloading keys every 200 ms).
    static func withBus(
        _ database: TestDatabase, extra: @escaping @Sendable (TestBus) async throws -> [any Service] = { _ in [] },
        _ body: @escaping @Sendable (TestBus, PostgresClient) async throws -> Void
    ) async throws {
        let bus = try TestBus.create(database)
        let extraServices = try await extra(bus)
        try await database.withClient { client in
            try await withRunningServices(bus.services(client: client).services + extraServices) {
                try await body(bus, client)
            }
        }
    }

    /// Subscribes with `endpoints` for as long as `body` runs — and, when `expecting` is
    /// given, until that many events arrived (or 30 s passed); returns what arrived.
    static func collecting(
        _ endpoints: BusEndpoints, prefix: String, expecting: Int? = nil, _ body: () async throws -> Void
    ) async throws -> [EventEnvelope] {
        let received = Recorder<EventEnvelope>()
        let subscriber = BusSubscriber(
            configuration: SubscriberConfiguration(endpoints: endpoints, prefix: prefix, start: .beginning), logger: .test)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await subscriber.run { batch in received.append(contentsOf: batch) } }
            try await body()
            if let expecting { _ = await eventually { received.count >= expecting } }
            group.cancelAll()
        }
        return received.all
    }

    /// Sends raw `messages` from a socket of `type` that authenticates with `endpoints`' key.
    static func sendRaw(
        _ messages: [ZMQFrames], type: ZMQSocketType, to endpoint: String, as endpoints: BusEndpoints, settle: Duration = .milliseconds(500)
    ) async throws {
        try await ZMQContext.withContext { context in
            try await ZMQOwnerThread.run(name: "test.raw") {
                let socket = try ZMQSocket(context, type: type, lingerMilliseconds: 1000)
                defer { socket.close() }
                if let credentials = endpoints.credentials {
                    try socket.makeCurveClient(serverKey: credentials.serverKey, keys: credentials.keys)
                }
                try socket.connect(endpoint)
                Thread.sleep(forTimeInterval: 0.5)  // PUB: the handshake must finish before anything is sent
                for message in messages { try socket.send(message) }
                Thread.sleep(forTimeInterval: Double(settle.components.seconds) + Double(settle.components.attoseconds) / 1e18)
            }
        }
    }

    @Test func anUnlistedOrUnkeyedClientIsRefusedOnEverySocket() async throws {
        let database = try await TestDatabase.create()
        try await Self.withBus(database) { bus, client in
            let relayKey = try await bus.client("sealed")
            let reader = try await bus.client("reader", role: .integrator, prefixes: ["sealed."])
            let stranger = try bus.stranger()
            try await withRunningServices([Self.relay("sealed", database, relayKey)]) {
                #expect(await eventually { (try? await ReplayClient.ping(bus: reader, timeoutMilliseconds: 500)) != nil })
                await #expect(throws: (any Error).self, "an unknown key") {
                    try await ReplayClient.ping(bus: stranger, timeoutMilliseconds: 1000)
                }
                await #expect(throws: (any Error).self, "no CURVE at all") {
                    try await ReplayClient.ping(bus: bus.anonymous, timeoutMilliseconds: 1000)
                }

                let strangerSaw = Recorder<EventEnvelope>()
                let readerSaw = try await Self.collecting(reader, prefix: "sealed.", expecting: 52) {
                    strangerSaw.append(
                        contentsOf: try await Self.collecting(stranger, prefix: "sealed.") {
                            try await Self.write(Self.events(50, stream: "sealed"), client)
                            // A stranger's forged event with the topic's next number.
                            let forged = StoredEvent((UUID(), "sealed.probe.p0", 26, "sealed", 1, 0, "forged", nil, nil, "{}"))
                            try await Self.sendRaw([forged.frames], type: .publisher, to: bus.anonymous.publish, as: stranger)
                            // …and the same with no CURVE at all.
                            try await Self.sendRaw([forged.frames], type: .publisher, to: bus.anonymous.publish, as: bus.anonymous)
                            try await Self.write(Self.events(2, stream: "sealed", from: 50), client)
                            _ = try await eventually {
                                try await database.scalar("SELECT count(*)::int FROM outbox WHERE seq IS NULL", as: Int.self) == 0
                            }
                            try await Task.sleep(for: .seconds(2))
                        })
                }
                #expect(strangerSaw.all.isEmpty, "an unknown key reads nothing, live or replayed")
                let stored = try await database.scalar("SELECT count(*)::int FROM outbox WHERE stream = 'sealed'", as: Int.self)
                #expect(readerSaw.count == stored)
                #expect(!readerSaw.contains { $0.key == "forged" })
            }
        }
    }

    @Test func aPublisherKeyCannotPublishAnotherStreamsTopicsNorDisplaceARealEvent() async throws {
        let database = try await TestDatabase.create()
        try await Self.withBus(database) { bus, client in
            let intake = try await bus.client("intake")
            let supplies = try await bus.client("supplies", role: .publisher)
            let matching = try await bus.client("matching", prefixes: ["intake."])
            try await withRunningServices([Self.relay("intake", database, intake)]) {
                let seen = try await Self.collecting(matching, prefix: "intake.", expecting: 12) {
                    try await Self.write(Self.events(10, stream: "intake"), client)
                    #expect(
                        try await eventually {
                            try await database.scalar("SELECT count(*)::int FROM outbox WHERE seq IS NULL", as: Int.self) == 0
                        })
                    // supplies' key is valid, but not for intake's topics: the bus drops it.
                    let forged = StoredEvent((UUID(), "intake.probe.p0", 6, "intake", 1, 0, "forged-cancel", nil, nil, "{}"))
                    try await Self.sendRaw([forged.frames], type: .publisher, to: bus.anonymous.publish, as: supplies)
                    try await Self.write(Self.events(2, stream: "intake", from: 10), client)
                    #expect(
                        try await eventually {
                            try await database.scalar("SELECT count(*)::int FROM outbox WHERE seq IS NULL", as: Int.self) == 0
                        })
                    try await Task.sleep(for: .seconds(2))
                }
                #expect(seen.count == 12)
                #expect(!seen.contains { $0.key == "forged-cancel" })
                #expect(Set(seen.map(\.id)).count == 12)
            }
        }
    }

    @Test func grantsLimitBothTheLiveSubscriptionAndReplay() async throws {
        let database = try await TestDatabase.create()
        try await Self.withBus(database) { bus, client in
            let outreach = try await bus.client("outreach")
            let board = try await bus.client("board", role: .integrator, prefixes: ["outreach.probe.p1"])
            try await withRunningServices([Self.relay("outreach", database, outreach)]) {
                #expect(await eventually { (try? await ReplayClient.ping(bus: board, timeoutMilliseconds: 500)) != nil })
                let wide = try await Self.collecting(board, prefix: "outreach.") {
                    try await Self.write(Self.events(20, stream: "outreach"), client)
                    try await Task.sleep(for: .seconds(2))
                }
                #expect(wide.isEmpty, "a prefix wider than the grant gets nothing")
                await #expect(throws: ReplayError.self) {
                    _ = try await ReplayClient.fetch(ReplayRequest(.prefix("outreach.", after: [:])), bus: board)
                }
                let granted = try await ReplayClient.fetch(
                    ReplayRequest(.topic("outreach.probe.p1", after: 0)), bus: board, timeoutMilliseconds: 10_000)
                #expect(granted.events.count == 10)
                let live = try await Self.collecting(board, prefix: "outreach.probe.p1", expecting: 12) {
                    try await Self.write(Self.events(4, stream: "outreach", from: 20), client)
                }
                #expect(live.map(\.seq) == Array(1...12))
            }
        }
    }

    @Test func aRevokedKeyIsRefusedWithinSecondsAndLosesItsLiveConnection() async throws {
        let database = try await TestDatabase.create()
        try await Self.withBus(database) { bus, client in
            let relayKey = try await bus.client("revoke")
            let lab = try await bus.client("lab", role: .integrator, prefixes: ["revoke."])
            let oldRelay = try await bus.client("old-relay", role: .publisher, stream: "revoke")
            let auditor = try await bus.client("auditor", role: .integrator, prefixes: ["revoke."])
            try await withRunningServices([Self.relay("revoke", database, relayKey)]) {
                let seen = Recorder<EventEnvelope>()
                let subscriber = BusSubscriber(
                    configuration: SubscriberConfiguration(endpoints: lab, prefix: "revoke.", start: .beginning), logger: .test)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await subscriber.run { seen.append(contentsOf: $0) } }
                    try await Self.write(Self.events(10, stream: "revoke"), client)
                    #expect(await eventually { seen.count == 10 })
                    try await BusKeyStore(client: client, logger: .test).revoke(name: "lab")
                    try await BusKeyStore(client: client, logger: .test).revoke(name: "old-relay")
                    let refused = await eventually(timeout: .seconds(5), every: .milliseconds(200)) {
                        (try? await ReplayClient.ping(bus: lab, timeoutMilliseconds: 300)) == nil
                    }
                    #expect(refused, "revocation takes effect within seconds")
                    // The two revocations may land in two reloads: the forged event below must
                    // meet a bus that has both (until then "old-relay" is a valid publisher of
                    // this stream, and the bus would be right to forward it).
                    #expect(
                        await eventually(timeout: .seconds(5)) {
                            bus.access.ring.map { $0[name: "lab"] == nil && $0[name: "old-relay"] == nil } ?? false
                        })
                    try await Task.sleep(for: .seconds(1))
                    let audited = try await Self.collecting(auditor, prefix: "revoke.", expecting: 20) {
                        // The revoked publisher key tries to slip an event in: refused at the handshake.
                        let forged = StoredEvent((UUID(), "revoke.probe.p0", 6, "revoke", 1, 0, "forged", nil, nil, "{}"))
                        try await Self.sendRaw([forged.frames], type: .publisher, to: bus.anonymous.publish, as: oldRelay)
                        try await Self.write(Self.events(10, stream: "revoke", from: 10), client)
                    }
                    try await Task.sleep(for: .seconds(1))
                    #expect(seen.count == 10, "nothing published after the revocation reaches the revoked key")
                    #expect(audited.count == 20)
                    #expect(!audited.contains { $0.key == "forged" })
                    group.cancelAll()
                }
            }
        }
    }

    @Test func aFloodOfReplayRequestsLeavesPingsAndServicesAnswered() async throws {
        let database = try await TestDatabase.create()
        try await Self.withBus(database) { bus, client in
            try await Self.write(Self.events(5000, stream: "flood"), client)
            try await client.query("UPDATE outbox SET seq = position WHERE stream = 'flood'", logger: .test)
            try await client.query(
                "INSERT INTO topic_heads (topic, stream, head) SELECT topic, 'flood', max(seq) FROM outbox WHERE stream = 'flood' GROUP BY topic",
                logger: .test)
            let intruder = try await bus.client("scraper", role: .integrator, prefixes: [""])
            let service = try await bus.client("matching", prefixes: ["flood."])
            let heavy = ReplayRequest(.prefix("", after: [:]), limit: 5000).encoded()
            let oversized = [UInt8](repeating: UInt8(ascii: " "), count: 1 << 20)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await Self.sendRaw(
                        Array(repeating: [[], heavy], count: 200), type: .dealer, to: bus.anonymous.replay, as: intruder,
                        settle: .seconds(6))
                }
                group.addTask {
                    // Far over the request size limit: the bus drops the connection without parsing it.
                    try await Self.sendRaw([[[], oversized]], type: .dealer, to: bus.anonymous.replay, as: intruder, settle: .seconds(2))
                }
                try await Task.sleep(for: .milliseconds(800))
                for _ in 0..<5 {
                    try await ReplayClient.ping(bus: service, timeoutMilliseconds: 1000)
                    // Readiness (the ping above) is the timing promise; the service's own replay must
                    // be answered, on a loaded CI machine perhaps slowly.
                    let page = try await ReplayClient.fetch(
                        ReplayRequest(.topic("flood.probe.p0", after: 0), limit: 100), bus: service, timeoutMilliseconds: 20_000)
                    #expect(page.events.count == 100)
                    try await Task.sleep(for: .milliseconds(300))
                }
                try await group.waitForAll()
            }
        }
    }
    @Test func eachSocketAdmitsOnlyItsRolesAtTheHandshake() throws {
        let keys = try (0..<3).map { _ in try ZMQCurveKeyPair.generate() }
        let access = BusAccess(security: BusServerSecurity(keys: try ZMQCurveKeyPair.generate()), logger: .test)
        access.install(
            BusKeyRing([
                BusKeyGrant(name: "relay", publicKey: keys[0].publicKey, role: .publisher, stream: "intake", prefixes: []),
                BusKeyGrant(name: "board", publicKey: keys[1].publicKey, role: .integrator, stream: nil, prefixes: ["intake."]),
                BusKeyGrant(name: "matching", publicKey: keys[2].publicKey, role: .service, stream: "matching", prefixes: ["intake."]),
            ]))
        func decide(_ key: ZMQCurveKeyPair, _ socket: BusServerSecurity.Socket) -> ZAPDecision {
            access.decide(
                ZAPRequest(requestId: [1], domain: socket.rawValue, address: "127.0.0.1", mechanism: "CURVE", publicKey: key.publicKey))
        }
        #expect(decide(keys[1], .publish) != .allow(userId: "board"), "an integrator may not connect to the publish socket")
        #expect(decide(keys[0], .subscribe) != .allow(userId: "relay"), "a publisher may not connect to the subscribe socket")
        #expect(decide(keys[0], .publish) == .allow(userId: "relay"))
        #expect(decide(keys[1], .subscribe) == .allow(userId: "board"))
        #expect(decide(keys[0], .replay) == .allow(userId: "relay"), "publishers may ping")
        for socket in [BusServerSecurity.Socket.publish, .subscribe, .replay] {
            #expect(decide(keys[2], socket) == .allow(userId: "matching"))
        }
    }

    @Test func junkOnTheSubscribeSocketCostsSubscribersNothing() async throws {
        let database = try await TestDatabase.create()
        try await Self.withBus(database) { bus, client in
            let relayKey = try await bus.client("junk")
            let reader = try await bus.client("reader", role: .integrator, prefixes: ["junk."])
            let prankster = try await bus.client("prankster", role: .integrator, prefixes: ["junk."])
            try await withRunningServices([Self.relay("junk", database, relayKey)]) {
                let seen = try await Self.collecting(reader, prefix: "junk.", expecting: 40) {
                    try await Self.write(Self.events(20, stream: "junk"), client)
                    // Not a subscription (first byte 2): the bus starts its subscribe socket afresh.
                    try await Self.sendRaw(
                        [[[2] + Array("junk.".utf8)]], type: .extendedSubscriber, to: bus.anonymous.subscribe, as: prankster)
                    try await Self.write(Self.events(20, stream: "junk", from: 20), client)
                }
                #expect(seen.count == 40)
                #expect(Set(seen.map(\.id)).count == 40)
                for topic in ["junk.probe.p0", "junk.probe.p1"] {
                    #expect(seen.filter { $0.topic.rawValue == topic }.map(\.seq) == Array(1...20))
                }
            }
        }
    }
}
