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
                return Layout.page(
                    visit.t("调度台", "Dispatch board"), visit.page,
                    """
                    <p class="hint">\(visit.t("实时更新：请求被接单、转派或超时时，本页自动刷新。", "Live: the board updates itself when a request is taken, passed on or times out."))</p>
                    <div id="board" data-live="dispatch" data-refresh="/dispatch/board">\(Self.render(board, visit.page))</div>
                    <script src="/static/console.js" defer></script>
                    """)
            }
        }
        router.get("/dispatch/board") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                let board = DispatchBoard(try await visit.calls.get(.matching, "/v1/dispatch-board"))
                return Fragment.response(Self.render(board, visit.page))
            }
        }
    }

    static func render(_ board: DispatchBoard, _ page: PageContext) -> HTML {
        let names = [
            "unassigned": page.t("待派单", "Unassigned"), "offering": page.t("派单中", "Offering"), "assigned": page.t("已接单", "Assigned"),
        ]
        let lanes = DispatchBoard.lanes.map { status -> HTML in
            let rows = board.lane(status)
            let items = rows.map { row -> HTML in
                let late: HTML = row.isLate ? "<span class=\"late\">\(page.t("超过15分钟", "over 15 min"))</span>" : .empty
                let holder: HTML =
                    row.holder.map { "<div class=\"muted\">\(page.t("志愿者", "Volunteer")) \(String($0.prefix(8)))</div>" } ?? .empty
                return """
                    <div class="item" data-request="\(row.requestID)" data-status="\(row.status)"><b>\(row.category)</b> · \(row.urgency) \(late)
                    <div class="muted">\(row.compound) · \(row.ageMinutes) \(page.t("分钟前", "min ago")) · \(page.t("上次变动", "last moved")) \(row.minutesSinceLastMovement) \(page.t("分钟前", "min ago"))</div>\(holder)</div>
                    """
            }
            return
                "<section class=\"lane\" id=\"lane-\(status)\"><h2>\(names[status] ?? status) <span class=\"badge\">\(rows.count)</span></h2>\(items)</section>"
        }
        return "<div class=\"columns\">\(lanes)</div>"
    }
}
