/// The name of an event stream's topic: `stream.aggregate.event`, e.g. `intake.request.created`.
///
/// The first segment is the producing service (the stream). Subscribers match on prefixes,
/// which is why a prefix should end with a dot: `intake.` matches `intake.request.created`,
/// `intake` would also match `intake2.…`.
public struct Topic: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    /// Validates `rawValue`: at least three dot-separated segments of `a-z`, `0-9` and `-`.
    public init(_ rawValue: String) throws(TopicError) {
        let segments = rawValue.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count >= 3 else { throw TopicError(rawValue, reason: "needs stream.aggregate.event") }
        for segment in segments where segment.isEmpty || !segment.allSatisfy(Topic.allowed) {
            throw TopicError(rawValue, reason: "segment '\(segment)' must be lowercase letters, digits or '-'")
        }
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        do { try self.init(value) } catch { preconditionFailure(error.description) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The producing service: the first segment.
    public var stream: String { String(rawValue.prefix(while: { $0 != "." })) }

    public var description: String { rawValue }

    private static func allowed(_ character: Character) -> Bool {
        character.isASCII && (character.isLowercase || character.isNumber || character == "-")
    }
}

/// A topic name that does not have the `stream.aggregate.event` shape.
public struct TopicError: Error, CustomStringConvertible, Sendable {
    public let topic: String
    public let reason: String
    init(_ topic: String, reason: String) {
        self.topic = topic
        self.reason = reason
    }
    public var description: String { "invalid topic '\(topic)': \(reason)" }
}
