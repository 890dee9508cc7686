import Foundation
import Models

/// One reply of the replay endpoint: events in per-topic order, then the heads of every
/// topic the request covered.
///
/// Wire form: one multipart message of `topic, envelope` pairs, then a final frame
/// `{"end": true, "heads": {topic: seq}}`. A topic whose last event here is below its
/// head has more to fetch with another request.
public struct ReplayPage: Sendable, Equatable {
    public var events: [EventEnvelope]
    public var heads: [String: Int64]

    public init(events: [EventEnvelope], heads: [String: Int64]) {
        self.events = events
        self.heads = heads
    }

    /// The end frame for `heads`.
    public static func endFrame(heads: [String: Int64]) -> [UInt8] {
        let object: [String: Any] = ["end": true, "heads": heads]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    /// Parses a reply's frames (without any routing envelope).
    public static func decode(_ frames: [[UInt8]]) throws -> ReplayPage {
        guard let last = frames.last, frames.count % 2 == 1,
            let end = try? JSONSerialization.jsonObject(with: Data(last)) as? [String: Any],
            end["end"] as? Bool == true
        else { throw ReplayError("replay reply has no end frame") }
        if let problem = end["error"] as? String { throw ReplayError("replay refused: \(problem)") }
        var heads: [String: Int64] = [:]
        for (topic, seq) in end["heads"] as? [String: Any] ?? [:] {
            heads[topic] = (seq as? NSNumber)?.int64Value ?? 0
        }
        var events: [EventEnvelope] = []
        events.reserveCapacity(frames.count / 2)
        var index = 0
        while index + 1 < frames.count {
            events.append(try EventEnvelope(json: JSONParser.parse(frames[index + 1])))
            index += 2
        }
        return ReplayPage(events: events, heads: heads)
    }

    /// The end frame of a refused request, so the client fails with a reason, not a timeout.
    public static func errorFrame(_ message: String) -> [UInt8] {
        let object: [String: Any] = ["end": true, "heads": [String: Int64](), "error": message]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}
