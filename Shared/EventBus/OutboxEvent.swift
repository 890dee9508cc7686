import Foundation
import Models

/// An event a service is about to commit, before the relay gives it its sequence number.
///
/// `data` must hold ids, codes, categories and counts only: personal data never travels
/// on the bus (ARCHITECTURE.md, rule 8).
public struct OutboxEvent: Sendable, Equatable {
    public var id: UUID
    public var topic: Topic
    public var key: String
    public var area: String?
    public var correlationId: UUID?
    public var version: Int
    public var data: JSONValue

    public init(
        topic: Topic, key: String, area: String? = nil, correlationId: UUID? = nil,
        version: Int = 1, data: JSONValue, id: UUID = UUID()
    ) {
        self.id = id
        self.topic = topic
        self.key = key
        self.area = area
        self.correlationId = correlationId
        self.version = version
        self.data = data
    }

    /// The producing stream, from the topic's first segment.
    public var stream: String { topic.stream }
}
