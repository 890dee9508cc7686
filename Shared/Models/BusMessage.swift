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
        let data = Data(envelope)
        let probe = try JSONDecoder().decode(HeartbeatProbe.self, from: data)
        if probe.heartbeat == true {
            return .heartbeat(topic: probe.topic, head: probe.seq)
        }
        return .event(try JSONDecoder().decode(EventEnvelope.self, from: data))
    }

    private struct HeartbeatProbe: Decodable {
        var topic: Topic
        var seq: Int64
        var heartbeat: Bool?
    }
}
