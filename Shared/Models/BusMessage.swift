import Foundation

/// What arrives on a topic: an event, or the relay's heartbeat announcing the topic's head.
///
/// Heartbeats let a subscriber notice a lost tail: if the head is ahead of the last event
/// it saw, it asks replay for the rest.
public enum BusMessage: Sendable, Equatable {
    case event(EventEnvelope)
    case heartbeat(topic: Topic, head: Int64)

    public var topic: Topic {
        switch self {
        case .event(let envelope): envelope.topic
        case .heartbeat(let topic, _): topic
        }
    }

    /// Decodes the envelope frame of a bus message.
    public static func decode(_ envelope: [UInt8]) throws -> BusMessage {
        let json = try JSONParser.parse(envelope)
        if json["heartbeat"] == .bool(true) {
            guard let topic = json["topic"]?.stringValue, let head = json["seq"]?.intValue else {
                throw EnvelopeError("heartbeat without topic or seq")
            }
            return .heartbeat(topic: try Topic(topic), head: Int64(head))
        }
        return .event(try EventEnvelope(json: json))
    }
}
