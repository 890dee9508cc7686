import EventBus
import Foundation
import Models
import NIOCore
import Testing
import ZeroMQ

@testable import Bus

/// The event stream's resume point and its key, as plain values: no sockets, no HTTP.
@Suite struct EventStreamCursorTests {
    @Test func aCursorSurvivesItsTextAndOnlyMovesForward() throws {
        var cursor = EventStreamCursor()
        cursor.advance(topic: "intake.request.created", to: 41)
        cursor.advance(topic: "matching.request.unassigned", to: 7)
        cursor.advance(topic: "intake.request.created", to: 40)
        #expect(cursor.positions == ["intake.request.created": 41, "matching.request.unassigned": 7])
        let text = cursor.text
        #expect(text.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "=") }, "fits an id: line")
        #expect(EventStreamCursor(text: text) == cursor)
        #expect(EventStreamCursor(text: EventStreamCursor().text) == EventStreamCursor())
    }

    @Test func anythingButACursorThisStreamWroteIsRefused() {
        func text(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        for given in [
            "not-a-cursor!", "", text("[1,2]"), text(#"{"a.b.c": -1}"#), text(#"{"a.b.c": 1.5}"#), text(#"{"a b": 1}"#),
            text(#"{"a.b.c": "7"}"#), String(repeating: "A", count: EventStreamCursor.maximumLength + 1),
        ] {
            #expect(EventStreamCursor(text: given) == nil, "\(given.prefix(40))")
        }
        #expect(EventStreamCursor(text: text(#"{"a.b.c": 7}"#))?.positions == ["a.b.c": 7])
        #expect(EventStreamCursor(text: text(#"{"a.b.c": 9007199254740992}"#)) == nil, "beyond what replay accepts")
        #expect(EventStreamCursor(positions: ["a.b.c": 7, "x.y.z": 2]).within("a.") == EventStreamCursor(positions: ["a.b.c": 7]))
    }

    static func envelope(_ topic: String, _ seq: Int64) throws -> EventEnvelope {
        EventEnvelope(
            id: UUID(), topic: try Topic(topic), seq: seq, stream: "a", version: 1, occurredAt: Date(), key: "k", area: nil,
            correlationId: nil,
            data: .object(["n": .number(Double(seq))]))
    }

    @Test func aBatchBeyondTheLimitIsNeitherQueuedNorCountedInTheCursor() throws {
        let outbox = StreamOutbox(EventStreamCursor(), limit: 1_000)
        let first = try #require(
            try outbox.frames(of: (1...20).map { try Self.envelope("a.b.c", $0) }), "a batch always goes when nothing waits")
        #expect(first.readableBytes > 1_000)
        #expect(try outbox.frames(of: [try Self.envelope("a.b.c", 21)]) == nil, "over the limit while the first waits")
        outbox.written(first.readableBytes)
        let next = try #require(try outbox.frames(of: [try Self.envelope("a.b.c", 21)]))
        let id = try #require(String(buffer: next).split(separator: "\n").first.map { String($0.dropFirst(4)) })
        #expect(EventStreamCursor(text: id)?.positions == ["a.b.c": 21], "the refused batch moved nothing; this one follows 20")
        outbox.close()
        #expect(try outbox.frames(of: [try Self.envelope("a.b.c", 22)]) == nil, "a closed stream queues nothing")
    }

    @Test func slotsAreLimitedPerKeyAndInAll() {
        let slots = EventStreamSlots(limit: 5, perKey: 2)
        #expect(slots.take(for: "a") && slots.take(for: "a"))
        #expect(!slots.take(for: "a"), "two for one key")
        #expect(slots.take(for: "b") && slots.take(for: "b") && slots.take(for: "c"))
        #expect(!slots.take(for: "d"), "five in all")
        slots.give(for: "a")
        #expect(slots.take(for: "d"))
    }

    @Test func theStreamReadsWithItsIntegratorsGrantAndLosesItWithTheKey() throws {
        let server = BusServerSecurity(keys: try ZMQCurveKeyPair.generate())
        let access = BusAccess(security: server, logger: .init(label: "test"))
        let board = BusKeyGrant(
            name: "board", publicKey: try ZMQCurveKeyPair.generate().publicKey, role: .integrator, stream: nil, prefixes: ["intake."])
        let relay = BusKeyGrant(
            name: "relay", publicKey: try ZMQCurveKeyPair.generate().publicKey, role: .publisher, stream: "intake", prefixes: [])
        #expect(try access.streamCredentials(for: "board") == nil, "nothing before the keys are loaded")
        access.install(BusKeyRing([board, relay]))
        #expect(try access.streamCredentials(for: "relay") == nil, "only integrator keys read a stream")
        #expect(try access.streamCredentials(for: "nobody") == nil)
        let credentials = try #require(try access.streamCredentials(for: "board"))
        #expect(credentials.serverKey == server.keys.publicKey)
        #expect(try access.streamCredentials(for: "board")?.keys.publicKey == credentials.keys.publicKey, "one key per integrator")
        let derived = try #require(access.ring?[publicKey: credentials.keys.publicKey])
        #expect(derived.name == "board" + BusAccess.streamKeySuffix)
        #expect(derived.role == .integrator && derived.prefixes == ["intake."] && derived.stream == nil)
        _ = access.takeWithdrawn()
        access.install(BusKeyRing([relay]))
        #expect(access.ring?[publicKey: credentials.keys.publicKey] == nil, "revoking the integrator's key takes the stream's key too")
        #expect(access.takeWithdrawn().contains("board" + BusAccess.streamKeySuffix), "so the bus cuts its connections")
        #expect(access.integratorGrant("board") == nil)
    }
}
