import Foundation
import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body, as a browser posts a form.
struct FormBody: Sendable {
    var fields: [String: String]

    subscript(name: String) -> String? { fields[name] }

    /// The trimmed value of `name`, `nil` when missing or blank.
    func text(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    init(fields: [String: String]) { self.fields = fields }

    /// Parses `body`; a later field of the same name wins.
    init(parsing body: String) {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        self.fields = fields
    }

    /// Reads a request's form body, at most 64 KiB (no form of the console is larger).
    static func read(_ request: Request) async throws -> FormBody {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        return FormBody(parsing: String(buffer: buffer))
    }
}
