import Foundation
import ServiceKit

/// Where an event stream stands: the last `seq` given per topic, carried in each event's
/// `id:` line so that a client's `Last-Event-ID` resumes exactly after the last event it
/// received, on any bus process.
///
/// Text form: base64url (no padding) of the JSON object `{topic: seq}` with sorted keys.
/// Opaque to clients; a plain value, tested without I/O.
public struct EventStreamCursor: Sendable, Equatable {
    /// The last `seq` given per topic; topics not listed start at their first event.
    public private(set) var positions: [String: Int64]

    /// The longest cursor accepted, in bytes of text: a `Last-Event-ID` header stays well
    /// under the usual 8 KiB header limits with every topic of the suite in it.
    public static let maximumLength = 6_144

    /// The largest `seq` replay accepts (JSON's exact integers, 2^53 − 1).
    static let largestSeq: Int64 = 9_007_199_254_740_991

    /// This cursor's topics under `prefix` only: a stream never carries others forward.
    public func within(_ prefix: String) -> EventStreamCursor {
        EventStreamCursor(positions: positions.filter { $0.key.hasPrefix(prefix) })
    }

    public init(positions: [String: Int64] = [:]) {
        self.positions = positions
    }

    /// The cursor after `seq` on `topic` was given.
    public mutating func advance(topic: String, to seq: Int64) {
        positions[topic] = max(positions[topic] ?? 0, seq)
    }

    /// The text sent in `id:` lines.
    public var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(positions)) ?? Data("{}".utf8)
        return json.base64URLEncoded
    }

    /// Reads a cursor a client sent back; `nil` when it is not one this stream wrote.
    public init?(text: String) {
        guard text.utf8.count <= Self.maximumLength,
            text.utf8.allSatisfy({ byte in
                byte == 0x2D || byte == 0x5F || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            })
        else { return nil }
        guard let data = Data(base64URLEncoded: text), let positions = try? JSONDecoder().decode([String: Int64].self, from: data),
            positions.allSatisfy({ Self.isTopic($0.key) && (0...Self.largestSeq).contains($0.value) })
        else { return nil }
        self.positions = positions
    }

    /// A topic as the bus names them: printable ASCII without spaces, at most 200 bytes.
    static func isTopic(_ text: String) -> Bool {
        (1...200).contains(text.utf8.count) && text.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
