import Foundation
import Models
import ServiceKit
import Store

extension TestingRoutes {
    /// Either one check-in or `{"items": [...]}`.
    struct CheckinBody {
        var items: [CheckinInput]
        var single: Bool

        init(bytes: [UInt8]) throws(ProblemDetails) {
            let json: JSONValue
            do {
                json = try JSONParser.parse(bytes)
            } catch {
                throw ProblemDetails(status: .badRequest, title: "Unreadable body", detail: "The body is not JSON: \(error)")
            }
            guard case .object(let members) = json else {
                throw ProblemDetails(
                    status: .badRequest, title: "Unreadable body", detail: "The body must be a check-in or {\"items\": [...]}."
                )
            }
            if let items = members["items"] {
                guard case .array(let elements) = items else {
                    throw ProblemDetails.validation([.init(field: "items", message: "must be an array of check-ins")])
                }
                self.items = elements.map(CheckinInput.init(json:))
                single = false
            } else {
                self.items = [CheckinInput(json: json)]
                single = true
            }
        }

        /// The items that passed the checks that need no database, and a result for each of
        /// the others. A single post is answered like any other write: 422 with its fields.
        func validated(now: Date = Date()) throws(ProblemDetails) -> (valid: [Checkin], invalid: [Int: CheckinResult]) {
            guard (1...TestingRoutes.maximumBatch).contains(items.count) else {
                throw ProblemDetails.validation([
                    .init(field: "items", message: "a batch holds 1–\(TestingRoutes.maximumBatch) check-ins, got \(items.count)")
                ])
            }
            var valid: [Checkin] = []
            var invalid: [Int: CheckinResult] = [:]
            for (index, item) in items.enumerated() {
                switch item.validated(index: index, now: now) {
                case .success(let checkin): valid.append(checkin)
                case .failure(let problem):
                    if single { throw ProblemDetails.validation(problem.fields.map { .init(field: $0.field, message: $0.message) }) }
                    invalid[index] = CheckinResult(index: index, status: .invalid, reason: problem.description)
                }
            }
            return (valid, invalid)
        }
    }

    /// A batch's answer: counts, then one result per item in the order sent.
    struct BatchAnswer: Codable {
        var accepted: Int
        var duplicates: Int
        var invalid: Int
        var refused: Int
        var results: [CheckinResult]

        init(_ results: [CheckinResult]) {
            self.results = results
            accepted = results.count { $0.status == .accepted }
            duplicates = results.count { $0.status == .duplicate }
            invalid = results.count { $0.status == .invalid }
            refused = results.count { $0.status == .refused }
        }

        /// The answer as JSON, written by hand: `JSONEncoder` took a tenth of a surge's CPU
        /// on answers of 500 items.
        var json: [UInt8] {
            var text =
                "{\"accepted\":\(accepted),\"duplicates\":\(duplicates),\"invalid\":\(invalid),\"refused\":\(refused),\"results\":["
            text.reserveCapacity(64 + results.count * 40)
            for (position, result) in results.enumerated() {
                if position > 0 { text += "," }
                text += "{\"index\":\(result.index),\"status\":\"\(result.status.rawValue)\""
                if let reason = result.reason { text += ",\"reason\":" + EnvelopeWriter.quoted(reason) }
                text += "}"
            }
            text += "]}"
            return Array(text.utf8)
        }
    }
}
