import Foundation
import Models
import NIOCore

/// The text of the event stream (HTML's `text/event-stream`): one event per envelope, its
/// `id:` the cursor after it, its `event:` the topic and its `data:` the envelope as the
/// bus sends it (one line: JSON escapes every newline); comments keep idle connections open.
enum ServerSentEvent {
    /// Appends the frame of `envelope`, given the cursor that follows it, to `buffer`.
    static func append(_ envelope: EventEnvelope, cursor: EventStreamCursor, to buffer: inout ByteBuffer) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        buffer.writeString("id: \(cursor.text)\nevent: \(envelope.topic.rawValue)\ndata: ")
        buffer.writeBytes(try encoder.encode(envelope))
        buffer.writeString("\n\n")
    }

    /// A frame with an id and no data: clients take it as their last event id without
    /// dispatching anything, so a stream opened `from=now` is resumable before its first event.
    static func position(_ cursor: EventStreamCursor) -> ByteBuffer {
        ByteBuffer(string: "id: \(cursor.text)\n\n")
    }

    /// A comment line: ignored by every client, it shows the connection is alive.
    static func comment(_ text: String) -> ByteBuffer {
        ByteBuffer(string: ": \(text)\n\n")
    }

    /// Sent first: how long a client waits before reconnecting after a drop.
    static let retry = ByteBuffer(string: "retry: 2000\n\n")
}
