import Foundation
import Hummingbird
import Models
import ServiceKit

/// The area and day a ledger is asked for (`?area=&date=`): the area defaults to the token's,
/// the day to today. Days are China Standard Time days, as the stations count them.
struct LedgerDay: Sendable {
    var area: AreaCode
    /// As asked (`YYYY-MM-DD`), for the answer.
    var date: String
    /// Midnight China Standard Time.
    var start: Date

    init(_ request: Request, access: AccessToken, now: Date = Date()) throws(ProblemDetails) {
        var validator = FieldValidator()
        let area = validator.area(request.uri.queryParameters["area"].map(String.init) ?? access.area?.rawValue, "area")
        let date = request.uri.queryParameters["date"].map(String.init) ?? Timestamp.chinaDay(of: now)
        let start = Timestamp.chinaMidnight(date)
        if start == nil { validator.fail("date", "must be a day, YYYY-MM-DD (China Standard Time)") }
        try validator.check()
        self.area = area!
        self.date = date
        self.start = start!
    }
}
