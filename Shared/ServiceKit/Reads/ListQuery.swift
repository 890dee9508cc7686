import Hummingbird
import Models
import PostgresNIO

/// `area`, `after` and `limit` of a list request, checked against the caller's scope.
public struct ListQuery: Sendable {
    public var areaPattern: String
    public var after: Int64
    public var limit: Int
    /// One of `Status`'s raw values, when the caller filters by status.
    public var status: String?

    public init<Status: RawRepresentable & CaseIterable>(
        _ request: Request, access: AccessToken, statuses: Status.Type
    ) throws(ProblemDetails) where Status.RawValue == String {
        let parameters = request.uri.queryParameters
        var validator = FieldValidator()
        var pattern = access.areaPattern
        if let text = parameters["area"].map(String.init) {
            if let area = validator.area(text, "area") {
                guard access.covers(area) else {
                    throw ProblemDetails(status: .forbidden, detail: "Area \(area.rawValue) is outside your scope.")
                }
                pattern = area.rawValue + "%"
            }
        }
        after = parameters["after"].flatMap { Int64(String($0)) } ?? 0
        if parameters["after"] != nil && Int64(String(parameters["after"]!)) == nil {
            validator.fail("after", "must be the `next` of the previous page")
        }
        limit = parameters["limit"].flatMap { Int(String($0)) } ?? 50
        if !(1...500).contains(limit) { validator.fail("limit", "must be between 1 and 500") }
        let filter: Status? = validator.oneOf(parameters["status"].map(String.init), "status", optional: true)
        status = filter?.rawValue
        try validator.check()
        areaPattern = pattern
    }

    /// The page's query: `columns` of `table` whose `areaColumn` is in scope, filtered by
    /// status (when the table has a `statusColumn`), after the cursor, in `seq` order.
    public func sql(columns: String, from table: String, areaColumn: String, statusColumn: String? = "status") -> PostgresQuery {
        guard let statusColumn else {
            return """
                SELECT \(unescaped: columns) FROM \(unescaped: table)
                WHERE \(unescaped: areaColumn) LIKE \(areaPattern) AND seq > \(after)
                ORDER BY seq LIMIT \(limit)
                """
        }
        return """
            SELECT \(unescaped: columns) FROM \(unescaped: table)
            WHERE \(unescaped: areaColumn) LIKE \(areaPattern) AND seq > \(after) AND (\(status ?? "") = '' OR \(unescaped: statusColumn) = \(status ?? ""))
            ORDER BY seq LIMIT \(limit)
            """
    }
}
