import Foundation
import Models

/// Reading the services' JSON answers on the testing, outreach and ledger pages: a missing or
/// mistyped member reads as empty, so one odd field costs a blank cell, never the page.
extension JSONValue {
    /// The elements of an array, or none.
    var stationItems: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    /// The members of an object sorted by key, or none.
    var stationMembers: [(key: String, value: JSONValue)] {
        if case .object(let members) = self { return members.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) } }
        return []
    }

    /// A number, whole or not.
    var stationNumber: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    var stationBool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value as a person reads it in a table cell: text as it is, whole numbers without a
    /// fraction, arrays joined, an object as `key: value` pairs.
    var stationText: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "✓" : "✗"
        case .number(let value): Int(exactly: value).map(String.init) ?? value.formatted(.number.precision(.fractionLength(0...2)))
        case .string(let value): value
        case .array(let items): items.map(\.stationText).joined(separator: ", ")
        case .object: stationMembers.map { "\($0.key): \($0.value.stationText)" }.joined(separator: "; ")
        }
    }

    /// A `date-time` member shown in China Standard Time (`2022-04-08 14:05`), where the
    /// stations work; the text as it came when it is not a timestamp.
    var stationTime: String {
        guard let text = stringValue else { return "" }
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var date = parser.date(from: text)
        if date == nil {
            parser.formatOptions = [.withInternetDateTime]
            date = parser.date(from: text)
        }
        guard let date else { return text }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
    }
}
