import Foundation
import Models

/// The services' codes as a volunteer reads them on a phone: a post's role, a status, in
/// Chinese first (a work order's category, urgency and zone are ``WorkOrderWords``). An
/// unknown code is shown as it came, never hidden.
enum VolunteerWords {
    /// The role of a post on a roster (`RosterEntry.role`), or of a recruitment call.
    static func role(_ code: String?, _ page: PageContext) -> String {
        switch code {
        case "registration": page.t("扫码登记", "Registration")
        case "queue-order": page.t("秩序维护", "Queue order")
        case "checkpoint": page.t("卡口值守", "Checkpoint")
        case "disinfection": page.t("消杀", "Disinfection")
        case "delivery": page.t("物资配送", "Delivery")
        case "publicity": page.t("宣传", "Publicity")
        case "canvassing": page.t("入户排查", "Canvassing")
        case "sampling": page.t("采样", "Sampling")
        default: code ?? ""
        }
    }

    /// A shift's status (`RosterEntry.status`).
    static func shiftStatus(_ code: String?, _ page: PageContext) -> String {
        switch code {
        case "planned": page.t("待确认", "To confirm")
        case "confirmed": page.t("已确认", "Confirmed")
        case "on-duty": page.t("在岗", "On duty")
        case "done": page.t("已完成", "Done")
        default: code ?? ""
        }
    }

    /// Where an hours entry came from (`HoursEntry.source`).
    static func hoursSource(_ code: String?, corrects: Bool, _ page: PageContext) -> String {
        if corrects { return page.t("社工站更正", "Station correction") }
        switch code {
        case "shift": return page.t("排班值守", "Shift")
        case "task": return page.t("任务", "Task")
        default: return code ?? ""
        }
    }

    static func skill(_ code: String, _ page: PageContext) -> String {
        switch code {
        case "medical": page.t("医护", "Medical")
        case "driving": page.t("驾驶", "Driving")
        case "dialect": page.t("方言", "Dialect")
        case "counselling": page.t("心理咨询", "Counselling")
        case "it": page.t("信息技术", "IT")
        case "logistics": page.t("后勤物流", "Logistics")
        default: code
        }
    }
}

/// Reading the services' answers on the volunteers' pages: a missing or mistyped member reads
/// as empty, so one odd field costs a blank line, never the page.
extension JSONValue {
    /// The elements of an array, or none.
    var volunteerItems: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    /// A number, whole or not.
    var volunteerNumber: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    var volunteerBool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// A `date-time` member in China Standard Time (`04-08 14:05`, with the year when it is not
    /// this one), where the volunteers work; the text as it came when it is not a timestamp.
    var volunteerTime: String {
        guard let text = stringValue else { return "" }
        guard let date = Timestamp.parse(text) else { return text }
        return VolunteerClock.show(date)
    }
}

/// Times as a volunteer reads them: China Standard Time, short.
enum VolunteerClock {
    static let zone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt

    static func show(_ date: Date, now: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let thisYear = calendar.component(.year, from: now)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        let day = "\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
        return parts.year == thisYear ? day : "\(parts.year ?? 0)-\(day)"
    }

    /// A `datetime-local` input's value (`2022-04-08T14:05`, China Standard Time) as RFC 3339.
    static func rfc3339(local text: String) -> String? {
        let withSeconds = text.count == 16 ? text + ":00" : text
        guard withSeconds.count == 19, let date = Timestamp.parse(withSeconds + "+08:00") else { return nil }
        return Timestamp.format(date)
    }
}
