import Foundation

/// A request to the bus's replay endpoint: events after given sequence numbers.
///
/// Wire form (one frame of JSON): `{"topic": "intake.request.created", "after": 41,
/// "limit": 1000}` or `{"prefix": "intake.", "after": {"intake.request.created": 41},
/// "limit": 1000}`. A topic missing from a prefix request's `after` is replayed from its
/// first event. `limit` 0 asks only for the heads.
public struct ReplayRequest: Sendable, Equatable {
    public enum Scope: Sendable, Equatable {
        case topic(String, after: Int64)
        case prefix(String, after: [String: Int64])
    }

    /// The most events one reply carries; bigger requests are served in pages.
    public static let maximumLimit = 5000

    public var scope: Scope
    public var limit: Int

    public init(_ scope: Scope, limit: Int = 1000) {
        self.scope = scope
        self.limit = min(max(limit, 0), Self.maximumLimit)
    }

    /// The request frame.
    public func encoded() -> [UInt8] {
        let object: [String: Any]
        switch scope {
        case .topic(let topic, let after): object = ["topic": topic, "after": after, "limit": limit]
        case .prefix(let prefix, let after): object = ["prefix": prefix, "after": after, "limit": limit]
        }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    /// Parses a request frame; throws ``ReplayError`` saying what is malformed.
    public static func decode(_ frame: [UInt8]) throws(ReplayError) -> ReplayRequest {
        guard let object = try? JSONSerialization.jsonObject(with: Data(frame)) as? [String: Any] else {
            throw ReplayError("replay request is not a JSON object")
        }
        let limit = (object["limit"] as? NSNumber)?.intValue ?? 1000
        if let topic = object["topic"] as? String {
            let after = (object["after"] as? NSNumber)?.int64Value ?? 0
            return ReplayRequest(.topic(topic, after: after), limit: limit)
        }
        if let prefix = object["prefix"] as? String {
            var after: [String: Int64] = [:]
            if let positions = object["after"] as? [String: Any] {
                for (topic, seq) in positions {
                    guard let seq = seq as? NSNumber else { throw ReplayError("after[\(topic)] is not a number") }
                    after[topic] = seq.int64Value
                }
            }
            return ReplayRequest(.prefix(prefix, after: after), limit: limit)
        }
        throw ReplayError("replay request needs \"topic\" or \"prefix\"")
    }
}

/// A malformed replay request or reply.
public struct ReplayError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
