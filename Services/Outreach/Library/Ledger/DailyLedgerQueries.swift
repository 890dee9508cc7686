import Foundation
import Logging
import Models
import PostgresNIO

/// The counts of one community's day, or of a whole span (the totals).
struct DailyLedgerCounts: Encodable, Sendable, Equatable {
    var requestsFiled = 0
    var requestsDone = 0
    var deliveries = 0
    var checkins = 0
    /// Shift hours and task hours together (志愿服务时长).
    var volunteerHours = 0.0
    var shiftHours = 0.0
    var taskHours = 0.0
    var calls = 0
    var visits = 0
    var hotlineCalls = 0

    /// Adds `amount` of `measure` (a name from ``LedgerMeasure`` or outreach's own logs).
    mutating func add(_ measure: String, _ amount: Double) {
        let count = Int(amount.rounded())
        switch measure {
        case LedgerMeasure.requestsFiled.rawValue: requestsFiled += count
        case LedgerMeasure.requestsDone.rawValue: requestsDone += count
        case LedgerMeasure.deliveries.rawValue: deliveries += count
        case LedgerMeasure.checkins.rawValue: checkins += count
        case LedgerMeasure.shiftHours.rawValue: shiftHours = Self.hours(shiftHours + amount)
        case LedgerMeasure.taskHours.rawValue: taskHours = Self.hours(taskHours + amount)
        case "calls": calls += count
        case "visits": visits += count
        case "hotline-calls": hotlineCalls += count
        default: return
        }
        volunteerHours = Self.hours(shiftHours + taskHours)
    }

    /// Hours to the hundredth, as the ledger shows them.
    static func hours(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    mutating func add(_ other: DailyLedgerCounts) {
        requestsFiled += other.requestsFiled
        requestsDone += other.requestsDone
        deliveries += other.deliveries
        checkins += other.checkins
        shiftHours = Self.hours(shiftHours + other.shiftHours)
        taskHours = Self.hours(taskHours + other.taskHours)
        volunteerHours = Self.hours(shiftHours + taskHours)
        calls += other.calls
        visits += other.visits
        hotlineCalls += other.hotlineCalls
    }
}

/// One community's day in the ledger.
struct DailyLedgerRow: Encodable, Sendable {
    /// The community (or the wider area an event named when it named no community).
    var area: String
    /// The area's name from the geography, when it is known.
    var name: String?
    var date: String
    var counts: DailyLedgerCounts

    enum CodingKeys: String, CodingKey { case area, name, date }

    /// Flat: the area, name and date beside the counts, one object per row.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(area, forKey: .area)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encode(date, forKey: .date)
        try counts.encode(to: encoder)
    }
}

/// The street's daily ledger over a span: per community and day, with the totals.
struct DailyLedger: Encodable, Sendable {
    var area: String
    var from: String
    var to: String
    var rows: [DailyLedgerRow]
    var totals: DailyLedgerCounts
}

/// Reads the ledger: the other services' counts from the entries ``LedgerConsumer`` appended,
/// outreach's own calls, visits and hotline calls from its own logs, grouped the same way
/// (community, China Standard Time day).
struct DailyLedgerQueries {
    let client: PostgresClient
    let logger: Logger

    func ledger(_ range: DailyLedgerRange) async throws -> DailyLedger {
        let pattern = range.area.rawValue + "%"
        var rows: [String: DailyLedgerRow] = [:]
        for try await (community, name, day, measure, amount) in try await client.query(
            """
            WITH counted AS (
                SELECT community, day, measure, sum(amount) AS amount FROM outreach_ledger_entries
                WHERE community LIKE \(pattern) AND day BETWEEN \(range.from)::date AND \(range.to)::date
                GROUP BY community, day, measure
              UNION ALL
                SELECT array_to_string((string_to_array(area, '-'))[1:3], '-'), ((at AT TIME ZONE 'UTC') + interval '8 hours')::date,
                       CASE WHEN kind = 'visit' THEN 'visits' ELSE 'calls' END, count(*)::float8
                FROM outreach_calls WHERE area LIKE \(pattern) AND at >= \(range.start) AND at < \(range.end)
                GROUP BY 1, 2, 3
              UNION ALL
                SELECT array_to_string((string_to_array(area, '-'))[1:3], '-'), ((at AT TIME ZONE 'UTC') + interval '8 hours')::date,
                       'hotline-calls', count(*)::float8
                FROM outreach_hotline_calls WHERE area LIKE \(pattern) AND at >= \(range.start) AND at < \(range.end)
                GROUP BY 1, 2, 3
            )
            SELECT c.community, a.name, c.day::text, c.measure, c.amount FROM counted c LEFT JOIN areas a ON a.code = c.community
            """,
            logger: logger
        ).decode((String, String?, String, String, Double).self) {
            let key = day + " " + community
            rows[key, default: DailyLedgerRow(area: community, name: name, date: day, counts: DailyLedgerCounts())]
                .counts.add(measure, amount)
        }
        let ordered = rows.keys.sorted().compactMap { rows[$0] }
        var totals = DailyLedgerCounts()
        for row in ordered { totals.add(row.counts) }
        return DailyLedger(area: range.area.rawValue, from: range.from, to: range.to, rows: ordered, totals: totals)
    }
}
