import Foundation
import Hummingbird
import Models
import ServiceKit
import Tabular

/// What the daily ledger is asked for (`?area=&from=&to=&format=`): a district, street or
/// community (the token's area when not said), a span of China Standard Time days (today
/// when not said, at most 92 days), and the format — `?format=` or else the `Accept` header.
struct DailyLedgerRange: Sendable {
    enum Format: String, Sendable, CaseIterable {
        case json, csv, xlsx
    }

    static let longestSpan = 92

    var area: AreaCode
    var from: String
    var to: String
    /// Midnight China Standard Time at the start of `from`, and after `to`.
    var start: Date
    var end: Date
    var format: Format

    init(_ request: Request, access: AccessToken, now: Date = Date()) throws(ProblemDetails) {
        var validator = FieldValidator()
        let query = request.uri.queryParameters
        let area = validator.area(query["area"].map(String.init) ?? access.area?.rawValue, "area")
        if let area, area.level == .compound { validator.fail("area", "the ledger counts per community: give a community or wider") }
        let today = Timestamp.chinaDay(of: now)
        let from = query["from"].map(String.init) ?? today
        let to = query["to"].map(String.init) ?? from
        let start = Self.midnight(from)
        let last = Self.midnight(to)
        if start == nil { validator.fail("from", Self.dayRule) }
        if last == nil { validator.fail("to", Self.dayRule) }
        if let start, let last {
            if last < start { validator.fail("to", "must not be before from") }
            if last.timeIntervalSince(start) >= Double(Self.longestSpan) * 86_400 {
                validator.fail("to", "at most \(Self.longestSpan) days from from")
            }
        }
        var format: Format? = .json
        if let asked = query["format"].map(String.init) {
            format = validator.oneOf(asked, "format")
        } else if let accept = request.headers[.accept] {
            if accept.contains(ImportTable.Format.csvMediaType) {
                format = .csv
            } else if accept.contains(ImportTable.Format.xlsxMediaType) {
                format = .xlsx
            }
        }
        try validator.check()
        self.area = area!
        self.from = from
        self.to = to
        self.start = start!
        self.end = last!.addingTimeInterval(86_400)
        self.format = format!
    }

    static let dayRule = "must be a day from 2000-01-01 to 2099-12-31, YYYY-MM-DD (China Standard Time)"

    /// Midnight China Standard Time of a `YYYY-MM-DD` day; nil when it is no such day, or one
    /// outside 2000–2099 (PostgreSQL has no year 0, and no ledger is kept outside this century).
    static func midnight(_ day: String) -> Date? {
        guard day.utf8.count == 10, let year = Int(day.prefix(4)), (2000...2099).contains(year) else { return nil }
        return Timestamp.chinaMidnight(day)
    }
}
