import Foundation
import Models
import PostgresNIO

/// A sequenced outbox row, as the relay publishes it and replay serves it.
///
/// `dataJSON` stays JSON text from the database to the wire: nothing on the hot path
/// decodes an event's data.
public struct StoredEvent: Sendable {
    public var id: UUID
    public var topic: String
    public var seq: Int64
    public var stream: String
    public var version: Int
    public var occurredAtMilliseconds: Int64
    public var key: String
    public var area: String?
    public var correlationId: UUID?
    public var dataJSON: String

    /// The two frames of the bus message: topic, envelope.
    public var frames: [[UInt8]] {
        [Array(topic.utf8), envelope]
    }

    /// The JSON envelope bytes.
    public var envelope: [UInt8] {
        EnvelopeWriter.event(
            id: id, topic: topic, seq: seq, stream: stream, version: version,
            occurredAtMilliseconds: occurredAtMilliseconds, key: key, area: area,
            correlationId: correlationId, dataJSON: dataJSON
        )
    }

    /// A row of `id, topic, seq, stream, version, occurred_at in ms, key, area,
    /// correlation_id, data::text`.
    public typealias Row = (UUID, String, Int64, String, Int, Int64, String, String?, UUID?, String)

    public init(_ row: Row) {
        (id, topic, seq, stream, version, occurredAtMilliseconds, key, area, correlationId, dataJSON) = row
    }
}
