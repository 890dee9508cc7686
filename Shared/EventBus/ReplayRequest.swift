import Foundation
import Models

/// A request to the bus's replay endpoint: events after given sequence numbers.
///
/// Wire form (one frame of JSON): `{"topic": "intake.request.created", "after": 41,
/// "limit": 1000}` or `{"prefix": "intake.", "after": {"intake.request.created": 41},
/// "limit": 1000}`. A topic missing from a prefix request's `after` is replayed from its
/// first event. `limit` 0 asks only for the heads; a larger limit than ``maximumLimit`` is
/// served as ``maximumLimit``. `{"ping": true}` asks only whether the bus is there and
/// accepts the caller's key (readiness checks): the bus answers it at once, outside the
/// replay queue.
///
/// The bus is reachable by anyone on the network, so ``decode(_:)`` is strict: unknown
/// fields, wrong types, negative numbers and oversized maps are errors, not defaults.
public struct ReplayRequest: Sendable, Equatable {
    public enum Scope: Sendable, Equatable {
        case topic(String, after: Int64)
        case prefix(String, after: [String: Int64])
        case ping
    }

    /// The most events one reply carries; bigger requests are served in pages.
    public static let maximumLimit = 5000
    /// The most topics one prefix request may list in `after` (what fits in the bus's
    /// 128 KiB request limit with topics of ~60 bytes).
    public static let maximumPositions = 2_000
    /// The longest topic or prefix, in bytes.
    public static let maximumTopicBytes = 200

    public static let ping = ReplayRequest(.ping, limit: 0)

    public var scope: Scope
    public var limit: Int

    public init(_ scope: Scope, limit: Int = 1000) {
        self.scope = scope
        self.limit = min(max(limit, 0), Self.maximumLimit)
    }

    /// The topic or prefix the request reads (what a key's grant must cover); `nil` for a ping.
    public var readPrefix: String? {
        switch scope {
        case .topic(let topic, _): topic
        case .prefix(let prefix, _): prefix
        case .ping: nil
        }
    }

    /// The request frame.
    public func encoded() -> [UInt8] {
        let object: [String: Any]
        switch scope {
        case .topic(let topic, let after): object = ["topic": topic, "after": after, "limit": limit]
        case .prefix(let prefix, let after): object = ["prefix": prefix, "after": after, "limit": limit]
        case .ping: object = ["ping": true]
        }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    /// Parses a request frame; throws ``ReplayError`` saying what is malformed.
    public static func decode(_ frame: [UInt8]) throws(ReplayError) -> ReplayRequest {
        guard case .object(let object)? = try? JSONParser.parse(frame) else {
            throw ReplayError("replay request is not a JSON object")
        }
        if let unknown = object.keys.sorted().first(where: { !["topic", "prefix", "after", "limit", "ping"].contains($0) }) {
            throw ReplayError("replay request has an unknown field \"\(unknown.prefix(40))\"")
        }
        if object["ping"] != nil {
            guard object["ping"] == .bool(true), object.count == 1 else { throw ReplayError("a ping is exactly {\"ping\": true}") }
            return .ping
        }
        let limit = try object["limit"].map { value throws(ReplayError) in try count(value, "limit") } ?? 1000
        switch (object["topic"], object["prefix"]) {
        case (.string(let topic)?, nil):
            try checkTopicText(topic, "topic")
            guard (try? Topic(topic)) != nil else { throw ReplayError("topic \"\(topic)\" is not stream.aggregate.event") }
            let after = try object["after"].map { value throws(ReplayError) in Int64(try count(value, "after")) } ?? 0
            return ReplayRequest(.topic(topic, after: after), limit: limit)
        case (nil, .string(let prefix)?):
            try checkTopicText(prefix, "prefix")
            var after: [String: Int64] = [:]
            switch object["after"] {
            case nil: break
            case .object(let positions)?:
                guard positions.count <= maximumPositions else { throw ReplayError("after lists more than \(maximumPositions) topics") }
                for (topic, seq) in positions {
                    try checkTopicText(topic, "after key")
                    guard topic.hasPrefix(prefix) else {
                        throw ReplayError("after lists \"\(topic.prefix(60))\", which is outside prefix \"\(prefix)\"")
                    }
                    after[topic] = Int64(try count(seq, "after[\(topic.prefix(60))]"))
                }
            default:
                throw ReplayError("after of a prefix request is an object of topic → sequence number")
            }
            return ReplayRequest(.prefix(prefix, after: after), limit: limit)
        case (nil, nil):
            throw ReplayError("replay request needs \"topic\" or \"prefix\"")
        default:
            throw ReplayError("replay request has both \"topic\" and \"prefix\", or one that is not a string")
        }
    }

    /// A whole number ≥ 0 (sequence numbers and limits).
    private static func count(_ value: JSONValue, _ field: String) throws(ReplayError) -> Int {
        guard case .number(let number) = value, number >= 0, number <= 9_007_199_254_740_991, let whole = Int(exactly: number) else {
            throw ReplayError("\(field) must be a whole number ≥ 0")
        }
        return whole
    }

    private static func checkTopicText(_ text: String, _ field: String) throws(ReplayError) {
        guard text.utf8.count <= maximumTopicBytes, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw ReplayError("\(field) must be printable ASCII without spaces, at most \(maximumTopicBytes) bytes")
        }
    }
}

/// A malformed replay request or reply.
public struct ReplayError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
