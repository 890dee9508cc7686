import Foundation
import Models

/// The markup of delivery runs: the area's runs with how many doors are still to visit,
/// and one run's stops in the order the dispatcher planned them (no addresses).
enum RunViews {
    static func list(_ runs: [JSONValue], next: String?, _ catalogue: SupplyCatalogue, _ page: PageContext) -> HTML {
        let rows = runs.map { run -> HTML in
            let id = run["id"]?.stringValue ?? ""
            let pending = run["pending"]?.intValue ?? 0
            return """
                <tr data-run="\(id)"><td><a href="/supplies/runs/\(id)">\(StationFormat.time(run["plannedAt"]))</a></td>\
                <td>\(catalogue.depotName(run["depotId"]?.stringValue))</td><td class="muted">\(String((run["volunteerId"]?.stringValue ?? "").prefix(8)))</td>\
                <td>\(SupplyWords.count(run["stops"]))</td><td\(pending > 0 ? " class=\"late\"" : HTML.empty)>\(pending)</td></tr>
                """
        }
        let more: HTML = next.map { "<p><a href=\"\($0)\" id=\"runs-next\">\(page.t("更多", "More"))</a></p>" } ?? .empty
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"muted\">\(page.t("暂无配送批次。", "No delivery runs yet."))</p>"
            : """
            <table class="wide" id="runs"><thead><tr><th>\(page.t("计划时间", "Planned"))</th><th>\(page.t("物资点", "Depot"))</th>\
            <th>\(page.t("志愿者", "Volunteer"))</th><th>\(page.t("站点数", "Doors"))</th><th>\(page.t("待送达", "Still to go"))</th></tr></thead>\
            <tbody>\(rows)</tbody></table>
            """
        return "\(table)\(more)<p><a href=\"/supplies\">\(page.t("返回物资", "Back to supplies"))</a></p>"
    }

    static func detail(_ run: JSONValue, _ catalogue: SupplyCatalogue, _ page: PageContext) -> HTML {
        let stops = StationFormat.list(run["stops"]).sorted { ($0["position"]?.intValue ?? 0) < ($1["position"]?.intValue ?? 0) }
        let rows = stops.map { stop -> HTML in
            let request = stop["requestId"]?.stringValue ?? ""
            return """
                <tr data-stop="\(stop["id"]?.stringValue)"><td>\(SupplyWords.count(stop["position"]))</td>\
                <td>\(SupplyWords.stopStatus(stop["status"]?.stringValue ?? "", page))</td>\
                <td><a href="/requests/\(request)">\(String(request.prefix(8)))</a></td>\
                <td>\(catalogue.itemName(stop["itemId"]?.stringValue)) × \(SupplyWords.count(stop["quantity"]))</td></tr>
                """
        }
        let delivered = stops.filter { $0["status"]?.stringValue == "delivered" }.count
        let depot = run["depotId"]?.stringValue ?? ""
        return """
            <p class="muted" id="run-summary"><a href="/supplies/depots/\(depot)">\(catalogue.depotName(depot))</a> · \
            \(page.t("志愿者", "volunteer")) \(String((run["volunteerId"]?.stringValue ?? "").prefix(8))) · \
            \(page.t("已送达", "delivered")) \(delivered)/\(stops.count)</p>
            <p class="hint">\(page.t("地址只向本批次的志愿者显示，每次查看都有记录。", "Addresses are shown only to the run's volunteer, and every read is logged."))</p>
            <table class="wide" id="stops"><thead><tr><th>\(page.t("顺序", "Order"))</th><th>\(page.t("状态", "Status"))</th>\
            <th>\(page.t("工单", "Work order"))</th><th>\(page.t("物资", "Items"))</th></tr></thead><tbody>\(rows)</tbody></table>
            <p><a href="/supplies/runs">\(page.t("返回配送批次", "Back to the runs"))</a></p>
            """
    }
}
