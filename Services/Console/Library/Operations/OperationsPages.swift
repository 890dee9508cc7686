import Foundation
import Hummingbird
import ServiceKit

/// The city's operations room: check-ins per minute by street (counted from the bus as they
/// happen), open requests by zone status, requests unassigned for 15 minutes, the shortest
/// stock cover and overdue follow-ups (read from the services with the viewer's scope). The
/// page fetches its parts again whenever the bus brings news of the viewer's area.
struct OperationsPages: Sendable {
    let console: Console
    static let roles: Set<AccessRole> = [.operator, .staff]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/operations") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                let numbers = await OperationsNumbers.read(visit.calls)
                let checkins = console.live.checkins(in: visit.account.area)
                return Layout.page(
                    visit.t("指挥大屏", "Operations room"), visit.page,
                    """
                    <div id="checkins" data-live="operations" data-refresh="/operations/checkins">\(Self.checkins(checkins, visit.page))</div>
                    <div id="numbers" data-live="operations" data-refresh="/operations/numbers">\(Self.numbers(numbers, visit.page))</div>
                    <script src="/static/console.js" defer></script>
                    """)
            }
        }
        router.get("/operations/checkins") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                Fragment.response(Self.checkins(console.live.checkins(in: visit.account.area), visit.page))
            }
        }
        router.get("/operations/numbers") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                Fragment.response(Self.numbers(await OperationsNumbers.read(visit.calls), visit.page))
            }
        }
    }

    static func checkins(_ series: [(street: String, perMinute: [Int])], _ page: PageContext) -> HTML {
        let thisMinute = series.reduce(0) { $0 + ($1.perMinute.last ?? 0) }
        let quarter = series.reduce(0) { $0 + $1.perMinute.reduce(0, +) }
        return """
            <h2>\(page.t("采样登记（每分钟，按街道）", "Check-ins per minute, by street"))</h2>
            <div class="numbers"><div class="number"><b id="checkins-minute">\(thisMinute)</b>\(page.t("本分钟", "this minute"))</div>
            <div class="number"><b id="checkins-quarter">\(quarter)</b>\(page.t("近15分钟", "last 15 minutes"))</div></div>
            \(CheckinChart.render(series, page))
            """
    }

    static func numbers(_ numbers: OperationsNumbers, _ page: PageContext) -> HTML {
        func shown(_ value: Int?) -> String { value.map(String.init) ?? "—" }
        let zoneCells = (WorkOrderWords.zones + ["unknown"]).map { zone -> HTML in
            let name = zone == "unknown" ? page.t("未标注", "not reported") : WorkOrderWords.zone(zone, page)
            return
                "<div class=\"number\"><b id=\"open-\(zone)\">\(shown(numbers.openByZone.map { $0[zone] ?? 0 }))</b><span class=\"badge \(zone)\">\(name)</span></div>"
        }
        let cover: HTML =
            numbers.shortestCover.map { "<b id=\"cover-days\">\($0.days, digits: 1)</b>\(page.t("天", "days")) · \($0.item)" }
            ?? "<b id=\"cover-days\">—</b>"
        return """
            <h2>\(page.t("群众求助", "Residents' requests"))</h2>
            <div class="numbers"><div class="number"><b id="open-requests">\(shown(numbers.openRequests))</b>\(page.t("未完成", "open"))</div>\(zoneCells)
            <div class="number"><b id="unassigned-late" class="late">\(shown(numbers.unassignedOver15Minutes))</b>\(page.t("超15分钟未派出", "unassigned over 15 min"))</div></div>
            <h2>\(page.t("物资与回访", "Supplies and follow-ups"))</h2>
            <div class="numbers"><div class="number">\(cover)<div class="muted">\(page.t("最短可用天数", "shortest stock cover"))</div></div>
            <div class="number"><b id="followups-overdue">\(shown(numbers.overdueFollowUps))</b>\(page.t("待回访", "follow-ups due"))</div></div>
            """
    }
}
