import Foundation
import Hummingbird
import ServiceKit

/// The dispatch board, live: the page holds a part that the console's script fetches again
/// (`/dispatch/board`) whenever the bus says a request of the viewer's area moved.
struct DispatchPages: Sendable {
    let console: Console
    static let roles: Set<AccessRole> = [.dispatcher, .staff, .operator]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/dispatch") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                let board = DispatchBoard(try await visit.calls.get(.matching, "/v1/dispatch-board"))
                let shortages = console.live.shortages(in: visit.account.area)
                return Layout.page(
                    visit.t("调度台", "Dispatch board"), visit.page,
                    """
                    <p class="hint">\(visit.t("实时更新：请求被接单、转派或超时时，本页自动刷新。", "Live: the board updates itself when a request is taken, passed on or times out."))</p>
                    <div id="board" data-live="dispatch" data-refresh="/dispatch/board">\(Self.render(board, shortages, visit.page))</div>
                    <script src="/static/console.js" defer></script>
                    """)
            }
        }
        router.get("/dispatch/board") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                let board = DispatchBoard(try await visit.calls.get(.matching, "/v1/dispatch-board"))
                return Fragment.response(Self.render(board, console.live.shortages(in: visit.account.area), visit.page))
            }
        }
        // One click to offer a request nobody took again, to whoever is eligible now.
        router.post("/dispatch/:id/reoffer") { request, context in
            await console.staff(request, roles: Self.roles) { visit in
                guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
                    throw BackendRefusal(status: 404, detail: visit.t("没有这个求助。", "No such request."))
                }
                _ = try await visit.calls.post(.matching, "/v1/dispatches/\(id.lowercasedString)/reoffer")
                throw Redirect(location: "/dispatch")
            }
        }
    }

    static func render(_ board: DispatchBoard, _ shortages: [ShiftShortages.Shortage], _ page: PageContext, now: Date = Date()) -> HTML {
        let names = [
            "unassigned": page.t("待派单", "Unassigned"), "offering": page.t("派单中", "Offering"), "assigned": page.t("已接单", "Assigned"),
        ]
        let lanes = DispatchBoard.lanes.map { status -> HTML in
            let rows = board.lane(status)
            let items = rows.map { row -> HTML in
                let late: HTML = row.isLate ? "<span class=\"late\">\(page.t("超过15分钟", "over 15 min"))</span>" : .empty
                let holder: HTML =
                    row.holder.map { "<div class=\"muted\">\(page.t("志愿者", "Volunteer")) \(String($0.prefix(8)))</div>" } ?? .empty
                let lapse: HTML =
                    row.offerExpiresAt.map { until -> HTML in
                        let seconds = Int(until.timeIntervalSince(now))
                        return seconds > 0
                            ? "<div class=\"muted offer-clock\">\(page.t("本次派单剩余", "offer lapses in")) \(seconds / 60):\(String(format: "%02d", seconds % 60))</div>"
                            : "<div class=\"late offer-clock\">\(page.t("派单已超时，正转给下一位", "offer lapsed; moving to the next volunteer"))</div>"
                    } ?? .empty
                // One click to offer a request nobody took again, to whoever is eligible now.
                let again: HTML =
                    row.status == "unassigned"
                    ? page.button("/dispatch/\(row.requestID)/reoffer", page.t("重新派单", "Offer again"), style: "reoffer") : .empty
                return """
                    <div class="item" data-request="\(row.requestID)" data-status="\(row.status)"><b>\(WorkOrderWords.category(row.category, page))</b> · \(WorkOrderWords.urgency(row.urgency, page)) \(late)
                    <div class="muted">\(row.compound) · \(row.ageMinutes) \(page.t("分钟前", "min ago")) · \(page.t("上次变动", "last moved")) \(row.minutesSinceLastMovement) \(page.t("分钟前", "min ago"))</div>\(holder)\(lapse)\(again)</div>
                    """
            }
            return
                "<section class=\"lane\" id=\"lane-\(status)\"><h2>\(names[status] ?? status) <span class=\"badge\">\(rows.count)</span></h2>\(items)</section>"
        }
        return "<div class=\"columns\">\(lanes)</div>\(shortageList(shortages, page))"
    }

    /// The shifts the roster plans left short, soonest first: each a recruitment call to make.
    static func shortageList(_ shortages: [ShiftShortages.Shortage], _ page: PageContext) -> HTML {
        let rows = shortages.prefix(50).map { shortage -> HTML in
            """
            <tr data-shift="\(shortage.shiftID)"><td>\(StationFormat.time(shortage.startsAt))–\(StationFormat.time(shortage.endsAt, timeOnly: true))</td>\
            <td>\(shortage.area)</td><td>\(shortage.role)</td><td><b>\(shortage.unfilled)</b></td><td>\(shortage.reason)</td></tr>
            """
        }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"muted\">\(page.t("排班计划没有缺员。", "The roster plans left no shift short."))</p>"
            : """
            <table class="wide"><thead><tr><th>\(page.t("班次", "Shift"))</th><th>\(page.t("地点", "Area"))</th><th>\(page.t("岗位", "Role"))</th>\
            <th>\(page.t("缺员", "Short"))</th><th>\(page.t("原因", "Why"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        return
            "<section id=\"shortages\"><h2>\(page.t("排班缺员", "Shifts left short by the roster plans")) <span class=\"badge\">\(shortages.count)</span></h2>\(table)</section>"
    }
}
