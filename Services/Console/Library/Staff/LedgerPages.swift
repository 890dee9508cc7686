import Foundation
import Hummingbird
import Models
import ServiceKit

/// The daily work ledger (工作台账) a street reports upward: per community and day, requests
/// filed and done, deliveries, check-ins, volunteer hours, calls, visits and hotline calls
/// (outreach's `GET /v1/ledger/daily`), with outreach's own day sheet (`GET /v1/ledger`), and
/// the same ledger as the CSV file outreach writes (`/ledger.csv`).
struct LedgerPages: Sendable {
    let console: Console
    static let roles: Set<AccessRole> = [.staff, .operator]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/ledger") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in try await Self.ledger(visit) }
        }
        router.get("/ledger.csv") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in try await Self.csv(visit) }
        }
    }

    /// The area and days asked for: only well-formed values go on to the service (and into a
    /// file name), anything else is left to the service's defaults.
    struct Range {
        var area: String?
        var from: String?
        var to: String?

        init(_ visit: StaffVisit) {
            let query = visit.request.uri.queryParameters
            func matching(_ name: String, _ pattern: String) -> String? {
                guard let value = query[Substring(name)].map(String.init), value.range(of: pattern, options: .regularExpression) != nil
                else { return nil }
                return value
            }
            area = matching("area", #"^[0-9]{6}(-[0-9]{3}(-[0-9]{3})?)?$"#) ?? visit.account.area?.rawValue
            from = matching("from", #"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"#)
            to = matching("to", #"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"#)
        }

        func query(format: String? = nil) -> String {
            RegistryQuery.string([("area", area), ("from", from), ("to", to), ("format", format)])
        }
    }

    /// The service's columns, in the order of its CSV.
    static let columns: [(key: String, zh: String, en: String)] = [
        ("requestsFiled", "求助工单", "Requests filed"), ("requestsDone", "已办结", "Requests done"), ("deliveries", "物资配送", "Deliveries"),
        ("checkins", "核酸采样", "Check-ins"), ("volunteerHours", "志愿服务时长", "Volunteer hours"), ("calls", "电话关怀", "Calls"),
        ("visits", "上门走访", "Visits"), ("hotlineCalls", "热线来电", "Hotline calls"),
    ]

    static func ledger(_ visit: StaffVisit) async throws -> Response {
        let range = Range(visit)
        guard range.area != nil else {
            return Layout.page(
                visit.t("工作台账", "Daily ledger"), visit.page,
                "\(form(visit, range))<p class=\"hint\">\(visit.t("请填写区域编码。", "Give an area code."))</p>")
        }
        let daily = try await visit.calls.get(.outreach, "/v1/ledger/daily" + range.query())
        let sheet = try await visit.calls.get(
            .outreach, "/v1/ledger" + RegistryQuery.string([("area", range.area), ("date", range.to ?? range.from)]))
        let rows = daily["rows"]?.stationItems ?? []
        let head = columns.map { column -> HTML in "<th>\(visit.t(column.zh, column.en))</th>" }
        let lines = rows.map { row -> HTML in
            let cells = columns.map { column -> HTML in "<td>\(row[column.key]?.stationText ?? "0")</td>" }
            return
                "<tr><td>\(row["date"]?.stationText ?? "")</td><td>\(row["name"]?.stationText ?? "") \(row["area"]?.stationText ?? "")</td>\(cells)</tr>"
        }
        let totals = columns.map { column -> HTML in "<td><b>\(daily["totals"]?[column.key]?.stationText ?? "0")</b></td>" }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"muted\">\(visit.t("这段时间没有记录。", "Nothing counted in these days."))</p>"
            : """
            <table class="wide"><thead><tr><th>\(visit.t("日期", "Date"))</th><th>\(visit.t("社区", "Community"))</th>\(head)</tr></thead>\
            <tbody>\(lines)<tr><td><b>\(visit.t("合计", "Total"))</b></td><td></td>\(totals)</tr></tbody></table>
            """
        let body: HTML = """
            \(form(visit, range))
            <h2>\(visit.t("关怀工作", "Outreach today")) · \(sheet["date"]?.stationText ?? "")</h2>
            \(sheetNumbers(visit, sheet))
            <h2>\(visit.t("台账", "Ledger")) · \(daily["from"]?.stationText ?? "") – \(daily["to"]?.stationText ?? "")</h2>
            \(trend(visit, rows))
            \(table)
            <p><a href="/ledger.csv\(range.query())" download>\(visit.t("导出 CSV", "Export CSV"))</a></p>
            """
        return Layout.page(visit.t("工作台账", "Daily ledger"), visit.page, body)
    }

    private static func form(_ visit: StaffVisit, _ range: Range) -> HTML {
        """
        <form method="get" action="/ledger" class="card">
        <label>\(visit.t("区域编码（区、街道或社区）", "Area (district, street or community)"))<input name="area" value="\(range.area)" \
        pattern="[0-9]{6}(-[0-9]{3}(-[0-9]{3})?)?" placeholder="320505-001"></label>
        <label>\(visit.t("起始日期", "From"))<input type="date" name="from" value="\(range.from)"></label>
        <label>\(visit.t("截止日期（最多92天）", "To (up to 92 days)"))<input type="date" name="to" value="\(range.to)"></label>
        <button class="secondary">\(visit.t("查看", "Show"))</button></form>
        """
    }

    /// Outreach's own sheet for the day: calls, reach, needs, escalations, follow-ups.
    private static func sheetNumbers(_ visit: StaffVisit, _ sheet: JSONValue) -> HTML {
        let entries: [(String, String, String)] = [
            ("callsMade", "拨打电话", "Calls made"), ("reached", "联系上", "Reached"), ("needsFound", "发现需求", "Needs found"),
            ("escalations", "上报", "Escalations"), ("followUpsDone", "完成回访", "Follow-ups done"), ("hotlineCalls", "热线来电", "Hotline calls"),
            ("followUpsOverdueNow", "当前逾期回访", "Follow-ups overdue now"),
        ]
        let cells = entries.map { key, zh, en -> HTML in
            "<div class=\"number\"><b>\(sheet[key]?.stationText ?? "0")</b>\(visit.t(zh, en))</div>"
        }
        return "<div class=\"numbers\">\(cells)</div>"
    }

    /// Requests filed and check-ins per day, when the ledger spans more than one day.
    private static func trend(_ visit: StaffVisit, _ rows: [JSONValue]) -> HTML {
        var days: [String: (filed: Double, checkins: Double)] = [:]
        for row in rows {
            let day = row["date"]?.stringValue ?? ""
            let sum = days[day] ?? (0, 0)
            days[day] = (sum.filed + (row["requestsFiled"]?.stationNumber ?? 0), sum.checkins + (row["checkins"]?.stationNumber ?? 0))
        }
        guard days.count > 1 else { return .empty }
        let order = days.keys.sorted()
        return """
            \(Chart.line(order.map { Chart.Point(label: $0, value: days[$0]?.filed ?? 0) }, title: visit.t("每日求助工单", "Requests filed per day")))
            \(Chart.line(order.map { Chart.Point(label: $0, value: days[$0]?.checkins ?? 0) }, title: visit.t("每日核酸采样", "Check-ins per day")))
            """
    }

    /// The ledger as outreach writes it (`?format=csv`: UTF-8 with a byte-order mark, CRLF
    /// lines), passed through untouched and offered as a download.
    static func csv(_ visit: StaffVisit) async throws -> Response {
        let range = Range(visit)
        guard let area = range.area else { throw BackendRefusal(status: 422, detail: visit.t("请填写区域编码。", "Give an area code.")) }
        let (data, type) = try await visit.calls.download(.outreach, "/v1/ledger/daily" + range.query(format: "csv"), accept: "text/csv")
        let span = [range.from, range.to].compactMap { $0 }.joined(separator: "_")
        let filename = "ledger-\(area)\(span.isEmpty ? "" : "-" + span).csv"
        return Response(
            status: .ok,
            headers: [
                .contentType: type.hasPrefix("text/csv") ? type : "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"\(filename)\"", .cacheControl: "no-store",
                .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
