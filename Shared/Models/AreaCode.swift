/// A place in the city's geography: district `320505`, street `320505-004`, community
/// `320505-004-012`, compound `320505-004-012-03`.
///
/// Codes are hierarchical strings, so "is this inside that?" is a prefix test, which is
/// also how a token's scope is checked: a street's staff hold `320505-004` and see every
/// community and compound below it, and nothing else.
public struct AreaCode: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public enum Level: String, Sendable, Codable, CaseIterable, Comparable {
        case district, street, community, compound

        public static func < (lhs: Level, rhs: Level) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public let rawValue: String

    /// Validates the shape: six digits, then up to three `-` groups (3, 3 and 2 digits).
    public init?(_ rawValue: String) {
        let parts = rawValue.split(separator: "-", omittingEmptySubsequences: false)
        let widths = [6, 3, 3, 2]
        guard (1...4).contains(parts.count) else { return nil }
        for (part, width) in zip(parts, widths) where part.count != width || !part.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return nil
        }
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = AreaCode(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not an area code like 320505-004-012"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var level: Level {
        Level.allCases[rawValue.split(separator: "-").count - 1]
    }

    /// The enclosing area, or `nil` for a district.
    public var parent: AreaCode? {
        guard let dash = rawValue.lastIndex(of: "-") else { return nil }
        return AreaCode(String(rawValue[..<dash]))
    }

    /// The district this area is in.
    public var district: AreaCode { AreaCode(String(rawValue.prefix(6)))! }

    /// The street this area is in, if it is a street or below.
    public var street: AreaCode? { level >= .street ? AreaCode(String(rawValue.prefix(10))) : nil }

    /// Whether `other` is this area or lies inside it.
    public func contains(_ other: AreaCode) -> Bool {
        other.rawValue == rawValue || other.rawValue.hasPrefix(rawValue + "-")
    }

    public var description: String { rawValue }

    public static func < (lhs: AreaCode, rhs: AreaCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
