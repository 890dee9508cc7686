import Foundation

/// One event on the bus: the second frame of every message, after the topic frame.
///
/// Integrators rely on this shape (ARCHITECTURE.md, "The event bus"): `seq` is gap-free
/// per topic, `key` is the aggregate's id, `area` its geography code, and `data` carries
/// ids, codes, categories and counts — never names, phone numbers, ID numbers or addresses.
public struct EventEnvelope: Sendable, Equatable, Codable {
    public var id: UUID
    public var topic: Topic
    /// Position in the topic, from 1, without gaps.
    public var seq: Int64
    /// The producing service (`intake`, `matching`…).
    public var stream: String
    /// Version of `data`'s shape for this topic.
    public var version: Int
    public var occurredAt: Date
    /// The aggregate's id (a request, a volunteer, a batch…).
    public var key: String
    /// The geography code the event belongs to, when it has one.
    public var area: String?
    public var correlationId: UUID?
    public var data: JSONValue

    public init(
        id: UUID, topic: Topic, seq: Int64, stream: String, version: Int = 1, occurredAt: Date,
        key: String, area: String? = nil, correlationId: UUID? = nil, data: JSONValue
    ) {
        self.id = id
        self.topic = topic
        self.seq = seq
        self.stream = stream
        self.version = version
        self.occurredAt = occurredAt
        self.key = key
        self.area = area
        self.correlationId = correlationId
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case id, topic, seq, stream
        case version = "v"
        case occurredAt, key, area, correlationId, data
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        topic = try c.decode(Topic.self, forKey: .topic)
        seq = try c.decode(Int64.self, forKey: .seq)
        stream = try c.decode(String.self, forKey: .stream)
        version = try c.decode(Int.self, forKey: .version)
        let stamp = try c.decode(String.self, forKey: .occurredAt)
        guard let date = Timestamp.parse(stamp) else {
            throw DecodingError.dataCorruptedError(forKey: .occurredAt, in: c, debugDescription: "not RFC 3339: \(stamp)")
        }
        occurredAt = date
        key = try c.decode(String.self, forKey: .key)
        area = try c.decodeIfPresent(String.self, forKey: .area)
        correlationId = try c.decodeIfPresent(UUID.self, forKey: .correlationId)
        data = try c.decodeIfPresent(JSONValue.self, forKey: .data) ?? .object([:])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id.uuidString.lowercased(), forKey: .id)
        try c.encode(topic, forKey: .topic)
        try c.encode(seq, forKey: .seq)
        try c.encode(stream, forKey: .stream)
        try c.encode(version, forKey: .version)
        try c.encode(Timestamp.format(occurredAt), forKey: .occurredAt)
        try c.encode(key, forKey: .key)
        try c.encodeIfPresent(area, forKey: .area)
        try c.encodeIfPresent(correlationId?.uuidString.lowercased(), forKey: .correlationId)
        try c.encode(data, forKey: .data)
    }
}

extension EventEnvelope {
    /// Reads an envelope already parsed by ``JSONParser`` (the subscriber's fast path).
    public init(json: JSONValue) throws {
        func field(_ name: String) throws(EnvelopeError) -> JSONValue {
            guard let value = json[name] else { throw EnvelopeError("envelope has no \"\(name)\"") }
            return value
        }
        guard let id = try field("id").stringValue.flatMap(UUID.init(uuidString:)) else { throw EnvelopeError("\"id\" is not a UUID") }
        guard let topic = try field("topic").stringValue else { throw EnvelopeError("\"topic\" is not a string") }
        guard let seq = try field("seq").intValue else { throw EnvelopeError("\"seq\" is not an integer") }
        guard let stream = try field("stream").stringValue else { throw EnvelopeError("\"stream\" is not a string") }
        guard let stamp = try field("occurredAt").stringValue, let occurredAt = Timestamp.parse(stamp) else {
            throw EnvelopeError("\"occurredAt\" is not an RFC 3339 time")
        }
        guard let key = try field("key").stringValue else { throw EnvelopeError("\"key\" is not a string") }
        self.init(
            id: id, topic: try Topic(topic), seq: Int64(seq), stream: stream, version: json["v"]?.intValue ?? 1,
            occurredAt: occurredAt, key: key, area: json["area"]?.stringValue,
            correlationId: json["correlationId"]?.stringValue.flatMap(UUID.init(uuidString:)),
            data: json["data"] ?? .object([:])
        )
    }
}

/// An envelope that does not follow the bus contract.
public struct EnvelopeError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
