import Foundation
import Models

/// How the station's pages (recruitment, vetting, requests) read the services' JSON and show
/// it: times in Beijing time, where the stations are, and the few JSON shapes the answers use.
enum StationFormat {
    /// Beijing time: the services answer in UTC, the people on the ground read UTC+8.
    static let offset: TimeInterval = 8 * 3600

    /// `2022-04-10 14:30` for an RFC 3339 time, the text itself when it is not one, "—" for none.
    static func time(_ value: JSONValue?) -> String {
        guard let text = value?.stringValue else { return "—" }
        guard let date = Timestamp.parse(text) else { return text }
        return String(Timestamp.format(date.addingTimeInterval(offset)).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// `2022-04-10 14:30` (or `14:30` alone) in Beijing time.
    static func time(_ date: Date, timeOnly: Bool = false) -> String {
        let text = time(.string(Timestamp.format(date)))
        return timeOnly ? String(text.suffix(5)) : text
    }

    /// The value of an `<input type="datetime-local">` for `date`, in Beijing time.
    static func localInput(_ date: Date) -> String {
        String(Timestamp.format(date.addingTimeInterval(offset)).prefix(16))
    }

    /// An RFC 3339 time for what a `datetime-local` input sent (Beijing time), or `nil` when
    /// it sent nothing usable (the service then says the field is required).
    static func instant(fromLocal text: String?) -> String? {
        guard let text, text.count >= 16 else { return nil }
        let withSeconds = text.count == 16 ? text + ":00" : text
        guard Timestamp.parse(withSeconds + "Z") != nil else { return nil }
        return withSeconds + "+08:00"
    }

    /// The elements of a JSON array, none for anything else.
    static func list(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    /// A JSON boolean; `false` for anything else.
    static func isTrue(_ value: JSONValue?) -> Bool {
        if case .bool(let flag)? = value { return flag }
        return false
    }

    /// A JSON number.
    static func number(_ value: JSONValue?) -> Double? {
        if case .number(let number)? = value { return number }
        return nil
    }

    /// A scalar as text, for showing a free-form field (a request's details).
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: text
        case .number(let number)?: Int(exactly: number).map(String.init) ?? String(number)
        case .bool(let flag)?: flag ? "✓" : "✗"
        case .array(let items)?: items.map { text($0) }.joined(separator: "、")
        case .object?: value?.canonicalText ?? ""
        case .null?, nil: "—"
        }
    }

    /// A path segment that is a UUID, lowercased; `nil` otherwise (never put into a service's URL).
    static func uuid(_ text: String?) -> String? {
        text.flatMap(UUID.init(uuidString:))?.uuidString.lowercased()
    }
}
