import Foundation
import Models

/// The markup of the requests pages: the list with duplicate flags, one request with its
/// history, and a probable duplicate beside its original.
enum RequestsViews {
    /// Intake's request statuses (`WorkOrderStatus`), in the order work moves.
    static let statuses = [
        "open", "unassigned", "assigned", "supplies-reserved", "delivered", "completed", "followed-up", "cancelled", "merged",
    ]

    static func statusName(_ status: String, _ page: PageContext) -> String {
        switch status {
        case "open": page.t("待接单", "Open")
        case "unassigned": page.t("待调度", "Unassigned")
        case "assigned": page.t("已接单", "Assigned")
        case "supplies-reserved": page.t("物资已预留", "Supplies reserved")
        case "delivered": page.t("已送达", "Delivered")
        case "completed": page.t("已完成", "Completed")
        case "followed-up": page.t("已回访", "Followed up")
        case "cancelled": page.t("已取消", "Cancelled")
        case "merged": page.t("已合并", "Merged")
        default: status
        }
    }

    static func categoryName(_ category: String, _ page: PageContext) -> String {
        switch category {
        case "groceries": page.t("买菜 / 生活物资", "Groceries")
        case "medicine": page.t("代购药品", "Medicine")
        case "garbage-pickup": page.t("垃圾清运", "Garbage pickup")
        case "medical-escort": page.t("就医陪护", "Medical escort")
        case "haircut": page.t("理发", "Haircut")
        case "cleaning": page.t("保洁", "Cleaning")
        case "psychological-support": page.t("心理疏导", "Psychological support")
        case "other": page.t("其他", "Other")
        default: category
        }
    }

    static func urgency(_ urgency: String, _ page: PageContext) -> HTML {
        switch urgency {
        case "critical": "<span class=\"badge sealed\">\(page.t("危急", "critical"))</span>"
        case "urgent": "<span class=\"badge controlled\">\(page.t("紧急", "urgent"))</span>"
        default: "<span class=\"badge\">\(page.t("一般", "normal"))</span>"
        }
    }

    static func zone(_ zone: String, _ page: PageContext) -> HTML {
        switch zone {
        case "sealed": "<span class=\"badge sealed\">\(page.t("封控区", "sealed"))</span>"
        case "controlled": "<span class=\"badge controlled\">\(page.t("管控区", "controlled"))</span>"
        case "precaution": "<span class=\"badge precaution\">\(page.t("防范区", "precaution"))</span>"
        default: "<span class=\"badge\">\(zone)</span>"
        }
    }

    /// Whether the request probably repeats another and has not been merged or cancelled yet.
    static func isProbableDuplicate(_ request: JSONValue) -> Bool {
        let status = request["status"]?.stringValue ?? ""
        return request["probableDuplicateOf"]?.stringValue != nil && status != "merged" && status != "cancelled"
    }

    // MARK: The list

    static func list(_ requests: [JSONValue], status: String?, next: String?, _ page: PageContext) -> HTML {
        let options = ([nil] + statuses.map(Optional.some)).map { option -> HTML in
            let selected: HTML = option == status ? " selected" : .empty
            return
                "<option value=\"\(option ?? "")\"\(selected)>\(option.map { statusName($0, page) } ?? page.t("全部状态", "Every status"))</option>"
        }
        let record: HTML =
            "<p><a href=\"/requests/new\" id=\"record-request\">\(page.t("＋ 代录群众求助（电话）", "+ Record a request taken by phone"))</a></p>"
        let filter: HTML = """
            <form method="get" action="/requests" class="card" id="requests-filter"><label>\(page.t("状态", "Status"))\
            <select name="status" id="status-filter">\(options)</select></label><button class="secondary">\(page.t("筛选", "Filter"))</button></form>
            """
        let duplicates = requests.filter(isProbableDuplicate).count
        let rows = requests.map { request -> HTML in
            let id = StationFormat.uuid(request["id"]?.stringValue) ?? ""
            let flag: HTML =
                isProbableDuplicate(request)
                ? " <a class=\"badge sealed\" href=\"/requests/\(id)\" id=\"duplicate-\(id)\">\(page.t("疑似重复", "probable duplicate"))</a>"
                : .empty
            return """
                <tr id="request-\(id)" data-status="\(request["status"]?.stringValue)">\
                <td><a href="/requests/\(id)">\(categoryName(request["category"]?.stringValue ?? "", page))</a> \(urgency(request["urgency"]?.stringValue ?? "", page))\(flag)</td>
                <td>\(request["compound"]?.stringValue) \(zone(request["zone"]?.stringValue ?? "", page))<div class="muted">\(request["address"]?.stringValue)</div></td>
                <td>\(request["contactName"]?.stringValue)<div class="muted">\(request["contactPhone"]?.stringValue)</div></td>
                <td>\(statusName(request["status"]?.stringValue ?? "", page))</td>
                <td>\(StationFormat.time(request["createdAt"]))</td></tr>
                """
        }
        let summary: HTML =
            duplicates == 0
            ? .empty
            : "<p class=\"error\" id=\"duplicates-count\">\(page.t("本页有疑似重复的求助", "Probable duplicates on this page")): \(duplicates)</p>"
        let table: HTML =
            requests.isEmpty
            ? "<p class=\"muted\" id=\"requests-empty\">\(page.t("没有求助。", "No requests."))</p>"
            : """
            <table class="wide" id="requests"><thead><tr><th>\(page.t("求助", "Request"))</th><th>\(page.t("小区 / 地址", "Compound / address"))</th>\
            <th>\(page.t("联系人", "Contact"))</th><th>\(page.t("状态", "Status"))</th><th>\(page.t("提交时间", "Filed"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let more: HTML = next.map { "<p><a href=\"\($0)\" id=\"next-page\">\(page.t("下一页", "Next page"))</a></p>" } ?? .empty
        return """
            \(record)\(filter)
            <p class="hint">\(page.t("电话号码已隐去；打开求助查看完整信息。按提交顺序排列。", "Phones are masked; open a request for the full record. In the order they were filed."))</p>
            \(summary)\(table)\(more)
            """
    }

    // MARK: One request

    static func detail(_ detail: JSONValue, _ page: PageContext) -> HTML {
        let request = detail["request"] ?? .null
        let id = StationFormat.uuid(request["id"]?.stringValue) ?? ""
        let history = StationFormat.list(detail["history"]).reversed().map { entry -> HTML in
            """
            <tr><td>\(StationFormat.time(entry["at"]))</td><td>\(statusName(entry["status"]?.stringValue ?? "", page))</td>\
            <td>\(entry["cause"]?.stringValue)</td><td class="muted">\(entry["actor"]?.stringValue)</td></tr>
            """
        }
        let merged: HTML =
            StationFormat.uuid(request["mergedInto"]?.stringValue).map { into in
                "<p class=\"ok\" id=\"merged-into\">\(page.t("已合并到", "Merged into")) <a href=\"/requests/\(into)\">\(page.t("原求助", "the original"))</a></p>"
            } ?? .empty
        let comparison: HTML
        if let original = detail["original"], original != .null, isProbableDuplicate(request) {
            let originalID = StationFormat.uuid(original["id"]?.stringValue) ?? ""
            comparison = """
                <p class="error" id="duplicate-warning">\(page.t("这条求助很可能与之前的一条重复。核对后可合并到原求助（两条的记录都会保留）。",
                    "This request probably repeats an earlier one. Check them, then merge it into the original (both histories are kept)."))</p>
                <div class="columns" id="side-by-side">
                <section class="lane" id="this-request"><h2>\(page.t("本条", "This request"))</h2>\(card(request, page))</section>
                <section class="lane" id="original-request"><h2><a href="/requests/\(originalID)">\(page.t("原求助", "The original"))</a></h2>\(card(original, page))</section>
                </div>
                <form method="post" action="/requests/\(id)/merge">\(page.csrfField)<input type="hidden" name="into" value="\(originalID)">\
                <button id="merge-\(id)">\(page.t("合并到原求助", "Merge into the original"))</button></form>
                """
        } else {
            comparison = "<section class=\"card\" id=\"this-request\">\(card(request, page))</section>"
        }
        return """
            \(merged)\(comparison)
            <h2>\(page.t("处理记录", "History"))</h2>
            <table class="wide" id="request-history"><thead><tr><th>\(page.t("时间", "When"))</th><th>\(page.t("状态", "Status"))</th>\
            <th>\(page.t("原因", "Cause"))</th><th>\(page.t("操作人", "By"))</th></tr></thead><tbody>\(history)</tbody></table>
            <p><a href="/requests">\(page.t("返回求助列表", "Back to the requests"))</a></p>
            """
    }

    /// One request's facts, for the page and for each side of a comparison.
    static func card(_ request: JSONValue, _ page: PageContext) -> HTML {
        var details: [HTML] = []
        if case .object(let fields)? = request["details"] {
            let names = ["drugName": page.t("药品", "Drug"), "dose": page.t("剂量", "Dose"), "note": page.t("备注", "Note")]
            let order = ["drugName", "dose", "note"]
            for (key, value) in fields.sorted(by: {
                (order.firstIndex(of: $0.key) ?? 9, $0.key) < (order.firstIndex(of: $1.key) ?? 9, $1.key)
            }) {
                details.append("<tr><th>\(names[key] ?? key)</th><td>\(StationFormat.text(value))</td></tr>")
            }
        }
        let outreach: HTML =
            request["outreachNeedId"]?.stringValue == nil
            ? .empty
            : "<p class=\"hint\">\(page.t("此求助来自电话关怀：联系方式和需求详情在关怀记录中查看。", "Found by outreach: the contact and the need's details are read there."))</p>"
        return """
            <p>\(categoryName(request["category"]?.stringValue ?? "", page)) \(urgency(request["urgency"]?.stringValue ?? "", page)) \
            <span class="badge">\(statusName(request["status"]?.stringValue ?? "", page))</span></p>
            <table class="wide"><tbody>
            <tr><th>\(page.t("小区", "Compound"))</th><td>\(request["compound"]?.stringValue) \(zone(request["zone"]?.stringValue ?? "", page))</td></tr>
            <tr><th>\(page.t("地址", "Address"))</th><td>\(request["address"]?.stringValue)</td></tr>
            <tr><th>\(page.t("联系人", "Contact"))</th><td>\(request["contactName"]?.stringValue)</td></tr>
            <tr><th>\(page.t("电话", "Phone"))</th><td>\(request["contactPhone"]?.stringValue)</td></tr>
            \(details)
            <tr><th>\(page.t("提交人", "Filed by"))</th><td>\(request["filedBy"]?.stringValue)</td></tr>
            <tr><th>\(page.t("提交时间", "Filed"))</th><td>\(StationFormat.time(request["createdAt"]))</td></tr>
            </tbody></table>\(outreach)
            """
    }
}
