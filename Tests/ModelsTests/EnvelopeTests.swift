import Foundation
import Models
import Testing

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
