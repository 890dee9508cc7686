import Foundation
import Models

/// The supplies service's codes in the station's words: kinds of depot, catalogue
/// categories, ledger entries and the states of a reservation or a delivery stop.
enum SupplyWords {
    static func depotKind(_ kind: String, _ page: PageContext) -> String {
        switch kind {
        case "charity-supermarket": page.t("慈善超市", "Charity supermarket")
        case "social-work-station": page.t("社工站", "Social-work station")
        case "community-store": page.t("社区仓库", "Community store")
        default: kind
        }
    }

    static func category(_ category: String, _ page: PageContext) -> String {
        switch category {
        case "protective-equipment": page.t("防护用品", "Protective equipment")
        case "food": page.t("食品", "Food")
        case "medicine": page.t("药品", "Medicine")
        case "test-kit": page.t("检测试剂", "Test kits")
        case "disinfectant": page.t("消毒用品", "Disinfectant")
        case "other": page.t("其他", "Other")
        default: category
        }
    }

    static func movementKind(_ kind: String, _ page: PageContext) -> String {
        switch kind {
        case "receipt": page.t("入库", "received")
        case "reservation": page.t("预留", "reserved")
        case "release": page.t("释放预留", "released")
        case "issue": page.t("出库", "issued")
        case "transfer-out": page.t("调出", "transferred out")
        case "transfer-in": page.t("调入", "transferred in")
        case "adjustment": page.t("报损", "written off")
        default: kind
        }
    }

    static func reservationStatus(_ status: String, _ page: PageContext) -> String {
        switch status {
        case "held": page.t("已预留", "held")
        case "released": page.t("已释放", "released")
        case "issued": page.t("已出库", "issued")
        default: status
        }
    }

    static func stopStatus(_ status: String, _ page: PageContext) -> HTML {
        switch status {
        case "pending": "<span class=\"badge controlled\">\(page.t("待送达", "to deliver"))</span>"
        case "delivered": "<span class=\"badge precaution\">\(page.t("已送达", "delivered"))</span>"
        case "failed": "<span class=\"badge sealed\">\(page.t("未送达", "failed"))</span>"
        case "cancelled": "<span class=\"badge\">\(page.t("已取消", "cancelled"))</span>"
        default: "<span class=\"badge\">\(status)</span>"
        }
    }

    /// A quantity as the service counts it (whole units), "—" when absent.
    static func count(_ value: JSONValue?) -> String {
        value?.intValue.map(String.init) ?? "—"
    }

    /// A ledger change with its sign: `+200`, `-3`, `0`.
    static func change(_ value: JSONValue?) -> String {
        guard let change = value?.intValue else { return "—" }
        return change > 0 ? "+\(change)" : String(change)
    }

    /// An expiry date (Beijing time, day only); "no expiry" when the lot has none (masks).
    static func expiry(_ value: JSONValue?, _ page: PageContext) -> String {
        guard value?.stringValue != nil else { return page.t("无保质期", "no expiry") }
        return String(StationFormat.time(value).prefix(10))
    }

    /// The end of the day a `<input type="date">` names, Beijing time, as RFC 3339: a lot
    /// "best before 20 April" is still good all of that day. `nil` for anything else.
    static func endOfDay(_ text: String?) -> String? {
        guard let text, text.count == 10, Timestamp.parse(text + "T23:59:59Z") != nil else { return nil }
        return text + "T23:59:59+08:00"
    }
}
