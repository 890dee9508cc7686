import Foundation
import Models

/// The markup of the depots: the area's list, and one depot's days of cover, shelf and
/// ledger, with what a form just did shown on top.
enum DepotViews {
    /// Items that last fewer days than this at the last week's pace are marked late: time
    /// to call for donations or move stock in.
    static let shortCoverDays = 3.0

    static func list(_ depots: [JSONValue], _ page: PageContext) -> HTML {
        let rows = depots.map { depot -> HTML in
            let id = depot["id"]?.stringValue ?? ""
            return """
                <tr data-depot="\(id)"><td><a href="/supplies/depots/\(id)">\(depot["name"]?.stringValue)</a></td>\
                <td>\(SupplyWords.depotKind(depot["kind"]?.stringValue ?? "", page))</td><td class="muted">\(depot["area"]?.stringValue)</td></tr>
                """
        }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"muted\">\(page.t("您的辖区还没有登记物资点。", "No depot is registered in your area yet."))</p>"
            : """
            <table class="wide" id="depots"><thead><tr><th>\(page.t("物资点", "Depot"))</th><th>\(page.t("类型", "Kind"))</th>\
            <th>\(page.t("区域", "Area"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let drives: HTML =
            page.account.map { SuppliesPages.stockKeepers.contains($0.role) } ?? false
            ? "<a href=\"/supplies/drives/new\" id=\"new-drive\">\(page.t("发布捐赠倡议", "Publish a call for donations"))</a> · " : .empty
        return """
            <p>\(drives)<a href="/supplies/runs" id="runs-link">\(page.t("配送批次", "Delivery runs"))</a></p>
            \(table)
            <form method="get" action="/supplies/drives/open" class="card" id="open-drive">\
            <label>\(page.t("查看捐赠倡议进度（倡议编号）", "See a call for donations (its id)"))<input name="id" required></label>\
            <button class="secondary">\(page.t("查看", "Open"))</button></form>
            """
    }

    static func header(_ depot: JSONValue, _ page: PageContext) -> HTML {
        "<p class=\"muted\">\(SupplyWords.depotKind(depot["kind"]?.stringValue ?? "", page)) · \(depot["area"]?.stringValue)</p>"
    }

    /// Days of cover per item; under three days marked `late`, an item nobody drew on in
    /// the last week "not running down".
    static func cover(_ items: [JSONValue], _ page: PageContext) -> HTML {
        let rows = items.map { item -> HTML in
            let id = item["itemId"]?.stringValue ?? ""
            let days = StationFormat.number(item["daysOfCover"])
            let short = days.map { $0 < shortCoverDays } ?? false
            let shown: HTML =
                days.map { days -> HTML in
                    short
                        ? "\(days, digits: 1) <span class=\"badge sealed\">\(page.t("不足3天", "under 3 days"))</span>" : "\(days, digits: 1)"
                } ?? "<span class=\"muted\">\(page.t("近7天无出库", "none issued in 7 days"))</span>"
            let rate = StationFormat.number(item["dailyUse"]) ?? 0
            return """
                <tr id="cover-\(id)"\(short ? " class=\"late\"" : HTML.empty)><td>\(item["item"]?.stringValue)</td><td>\(SupplyWords.count(item["available"]))</td>\
                <td>\(SupplyWords.count(item["issuedLastSevenDays"]))</td><td>\(rate, digits: 1)</td><td>\(shown)</td></tr>
                """
        }
        guard !rows.isEmpty else { return .empty }
        return """
            <h2>\(page.t("可供天数", "Days of cover"))</h2>
            <p class="hint">\(page.t("按近7天的出库速度估算；不足3天的请及时发起捐赠或调拨。", "At the last seven days' pace; call for donations or move stock in for items under 3 days."))</p>
            <table class="wide" id="cover"><thead><tr><th>\(page.t("物资", "Item"))</th><th>\(page.t("可用", "Available"))</th>\
            <th>\(page.t("近7天出库", "Issued, 7 days"))</th><th>\(page.t("日均用量", "Per day"))</th><th>\(page.t("可供天数", "Days"))</th></tr></thead>\
            <tbody>\(rows)</tbody></table>
            """
    }

    /// The shelf lot by lot, first-expiring first (the service's order).
    static func stock(_ lots: [JSONValue], _ page: PageContext) -> HTML {
        let rows = lots.map { lot -> HTML in
            """
            <tr data-lot="\(lot["lotId"]?.stringValue)"><td>\(lot["item"]?.stringValue)</td><td>\(SupplyWords.count(lot["onHand"]))</td>\
            <td>\(SupplyWords.count(lot["reserved"]))</td><td><b>\(SupplyWords.count(lot["available"]))</b> \(lot["unit"]?.stringValue)</td>\
            <td>\(SupplyWords.expiry(lot["expiresAt"], page))</td></tr>
            """
        }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"muted\" id=\"stock-empty\">\(page.t("库存为空。", "Nothing on the shelf."))</p>"
            : """
            <table class="wide" id="stock"><thead><tr><th>\(page.t("物资", "Item"))</th><th>\(page.t("在库", "On hand"))</th>\
            <th>\(page.t("已预留", "Reserved"))</th><th>\(page.t("可用", "Available"))</th><th>\(page.t("有效期至", "Expires"))</th></tr></thead>\
            <tbody>\(rows)</tbody></table>
            """
        return "<h2>\(page.t("库存（按批次）", "Stock, lot by lot"))</h2>\(table)"
    }

    /// A page of the ledger. The service pages it oldest first; the page is shown newest
    /// first, with the way on to later entries.
    static func movements(_ page: JSONValue, depot: String, _ catalogue: SupplyCatalogue, _ context: PageContext) -> HTML {
        let rows = StationFormat.list(page["items"]).reversed().map { entry -> HTML in
            """
            <tr data-movement="\(SupplyWords.count(entry["cursor"]))"><td>\(StationFormat.time(entry["at"]))</td>\
            <td>\(SupplyWords.movementKind(entry["kind"]?.stringValue ?? "", context))</td><td>\(catalogue.itemName(entry["itemId"]?.stringValue))</td>\
            <td>\(SupplyWords.change(entry["onHandChange"]))</td><td>\(SupplyWords.change(entry["reservedChange"]))</td>\
            <td>\(entry["reason"]?.stringValue)</td><td class="muted">\(entry["actor"]?.stringValue)</td></tr>
            """
        }
        let next: HTML =
            page["next"]?.intValue.map {
                "<p><a href=\"/supplies/depots/\(depot)?after=\($0)\" id=\"movements-next\">\(context.t("更晚的记录", "Later entries"))</a></p>"
            } ?? .empty
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"muted\">\(context.t("暂无出入库记录。", "No stock movements yet."))</p>"
            : """
            <table class="wide" id="movements"><thead><tr><th>\(context.t("时间", "When"))</th><th>\(context.t("类型", "Kind"))</th>\
            <th>\(context.t("物资", "Item"))</th><th>\(context.t("在库变化", "On hand"))</th><th>\(context.t("预留变化", "Reserved"))</th>\
            <th>\(context.t("原因", "Reason"))</th><th>\(context.t("操作人", "By"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        return "<h2>\(context.t("出入库记录", "Stock movements"))</h2>\(table)\(next)"
    }

    /// The receipt a delivery just became: its number for the donor, its lots.
    static func received(_ receipt: JSONValue, _ page: PageContext) -> HTML {
        let lines = StationFormat.list(receipt["lines"]).map { line -> HTML in
            "<li>\(line["item"]?.stringValue) × \(SupplyWords.count(line["quantity"])) \(line["unit"]?.stringValue) · \(SupplyWords.expiry(line["expiresAt"], page))</li>"
        }
        return """
            <section class="card ok" role="status" id="receipt-\(receipt["id"]?.stringValue)">\
            <p>\(page.t("已入库，收据编号", "Received; receipt number")) <b id="receipt-number">\(SupplyWords.count(receipt["number"]))</b>\
            \(receipt["donor"]?.stringValue.map { " · \(page.t("捐赠方", "donor")) \($0)" } ?? "")</p><ul>\(lines)</ul></section>
            """
    }

    /// The reservation a form just made, as the service now holds it.
    static func reserved(_ reservation: JSONValue, _ catalogue: SupplyCatalogue, _ page: PageContext) -> HTML {
        let request = reservation["requestId"]?.stringValue ?? ""
        return """
            <p class="ok" role="status" id="reservation-\(reservation["id"]?.stringValue)">\
            \(page.t("已为工单预留", "Reserved for work order")) <a href="/requests/\(request)">\(String(request.prefix(8)))</a>: \
            \(catalogue.itemName(reservation["itemId"]?.stringValue)) × \(SupplyWords.count(reservation["quantity"])) · \
            \(SupplyWords.reservationStatus(reservation["status"]?.stringValue ?? "", page))</p>
            """
    }
}
