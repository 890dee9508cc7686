import Foundation
import Models
import Testing

@Suite struct TopicTests {
    @Test(arguments: ["intake.request.created", "matching.task.completed", "supplies.stock.low", "test.probe.p0", "a.b-c.d"])
    func wellFormedTopicsAreAccepted(_ name: String) throws {
        #expect(try Topic(name).rawValue == name)
    }

    @Test(arguments: [
        "intake", "intake.request", "Intake.request.created", "intake..created", "intake.request.created.", "intake.请求.created",
    ])
    func malformedTopicsAreRefusedWithAReason(_ name: String) {
        #expect(throws: TopicError.self) { try Topic(name) }
    }

    @Test func theStreamIsTheFirstSegment() {
        #expect(Topic("outreach.need.identified").stream == "outreach")
    }
}

@Suite struct TimestampTests {
    @Test func formatsMillisecondsInUTC() {
        #expect(Timestamp.format(epochMilliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(epochMilliseconds: 1_764_059_400_123) == "2025-11-25T08:30:00.123Z")
        #expect(Timestamp.format(epochMilliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test func parsesWhatItFormatsAndOffsets() {
        #expect(Timestamp.parse("2025-11-25T08:30:00.123Z")?.timeIntervalSince1970 == 1_764_059_400.123)
        #expect(Timestamp.parse("2025-11-25T16:30:00+08:00")?.timeIntervalSince1970 == 1_764_059_400)
        #expect(Timestamp.parse("yesterday") == nil)
    }

    @Test(arguments: [
        "2025-02-29T08:00:00Z", "2025-11-25T24:00:00Z", "2025-11-25T08:30:60Z", "2025-11-25T08:30:00", "2025-11-25T08:30:00.Z",
        "2025-11-25T08:30:00+8:00",
        "2025-11-25T08:30:00+08:00x", "2025-11-25 08:30:00Z", "2025-13-01T00:00:00Z", "２０２5-11-25T08:30:00Z",
    ])
    func refusesWhatIsNotRFC3339(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    /// Foundation's ISO 8601 formatter is the oracle: any instant, any offset, with or
    /// without a fraction, parses to the same millisecond.
    @Test func agreesWithFoundationOnRandomInstantsAndOffsets() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: 0...4_102_444_800_000, using: &generator)) / 1000)
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(secondsFromGMT: 60 * 15 * Int.random(in: -48...56, using: &generator))
            formatter.formatOptions =
                Bool.random(using: &generator) ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
            let text = formatter.string(from: date)
            let expected = formatter.date(from: text)
            #expect(Timestamp.parse(text) == expected, "\(text)")
        }
        #expect(Timestamp.parse("2025-11-25T08:30:00.1Z")?.timeIntervalSince1970 == 1_764_059_400.1)
        #expect(Timestamp.parse("2025-11-25T08:30:00.123456789Z")?.timeIntervalSince1970 == 1_764_059_400.123)
    }
}

@Suite struct EnvelopeTests {
    @Test func theRelaysHandWrittenEnvelopeDecodesToTheSameEvent() throws {
        let id = UUID()
        let correlation = UUID()
        let bytes = EnvelopeWriter.event(
            id: id, topic: "intake.request.created", seq: 42, stream: "intake", version: 2,
            occurredAtMilliseconds: 1_764_059_400_123, key: "req-\"7\"", area: "320505-004",
            correlationId: correlation, dataJSON: #"{"category":"medicine","urgent":true,"count":3}"#
        )
        guard case .event(let event) = try BusMessage.decode(bytes) else {
            Issue.record("decoded as a heartbeat")
            return
        }
        #expect(event.id == id)
        #expect(event.topic == "intake.request.created")
        #expect(event.seq == 42)
        #expect(event.version == 2)
        #expect(event.key == "req-\"7\"")
        #expect(event.area == "320505-004")
        #expect(event.correlationId == correlation)
        #expect(event.occurredAt.timeIntervalSince1970 == 1_764_059_400.123)
        #expect(event.data["category"]?.stringValue == "medicine")
        #expect(event.data["count"]?.intValue == 3)
        // The wire keeps the contract's field names.
        let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        #expect(
            Set(object?.keys.map { $0 } ?? []) == [
                "id", "topic", "seq", "stream", "v", "occurredAt", "key", "area", "correlationId", "data",
            ])
    }

    @Test func heartbeatsDecodeAsHeads() throws {
        let bytes = EnvelopeWriter.heartbeat(topic: "intake.request.created", stream: "intake", head: 9, atMilliseconds: 0)
        #expect(try BusMessage.decode(bytes) == .heartbeat(topic: "intake.request.created", head: 9))
    }

    @Test func controlCharactersAndQuotesAreEscaped() throws {
        let quoted = EnvelopeWriter.quoted("a\"b\\c\nd\u{01}")
        let decoded = try JSONDecoder().decode(String.self, from: Data(quoted.utf8))
        #expect(decoded == "a\"b\\c\nd\u{01}")
    }
}
