import Foundation

/// Query strings for the services' reads and the console's own links. Every value is
/// percent-encoded except the unreserved characters, so a reason typed with `&`, `+` or `#`
/// reaches the service as typed and cannot add a parameter of its own.
enum RegistryQuery {
    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// `?a=1&b=2` of the pairs with a value, or `""` when none has one.
    static func string(_ pairs: [(String, String?)]) -> String {
        let parts = pairs.compactMap { name, value in value.map { "\(name)=\(encode($0))" } }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    /// A UUID from a path or a form, lower-cased as the services print them; `nil` when it is
    /// not one (so nothing typed by hand ever becomes part of a service's path).
    static func uuid(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), let id = UUID(uuidString: text) else { return nil }
        return id.uuidString.lowercased()
    }
}
