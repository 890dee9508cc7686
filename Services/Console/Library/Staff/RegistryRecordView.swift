import Models

/// One resident's whole record and its read log, as read from outreach. Kept apart from the
/// routes so the only place personal fields are drawn is this one.
enum RegistryRecordView {
    static func record(_ resident: JSONValue, _ visit: StaffVisit) -> HTML {
        let page = visit.page
        let categories = (resident["categories"]?.stationItems ?? []).map {
            RegistryLabels.name($0.stringValue, in: RegistryLabels.categories, page)
        }
        var rows: [(String, String)] = [
            (visit.t("姓名", "Name"), resident["name"]?.stationText ?? ""),
            (visit.t("身份证号", "ID number"), resident["idNumber"]?.stationText ?? ""),
            (visit.t("出生年份", "Birth year"), resident["birthYear"]?.stationText ?? ""),
            (visit.t("小区", "Compound"), resident["compound"]?.stationText ?? ""),
            (visit.t("住址", "Address"), resident["address"]?.stationText ?? ""),
            (visit.t("类别", "Categories"), categories.joined(separator: "、")),
            (visit.t("关怀等级", "Care level"), RegistryLabels.name(resident["careLevel"]?.stringValue, in: RegistryLabels.careLevels, page)),
            (visit.t("已同意", "Consent"), resident["consent"]?.stationBool == true ? visit.t("是", "Yes") : visit.t("否", "No")),
            (visit.t("联系人", "Contact"), resident["contactName"]?.stationText ?? ""),
            (visit.t("联系电话", "Contact phone"), resident["contactPhone"]?.stationText ?? ""),
            (visit.t("照护人", "Carer"), resident["carerName"]?.stationText ?? ""),
            (visit.t("备注", "Notes"), resident["notes"]?.stationText ?? ""),
            (visit.t("登记时间", "Registered"), resident["createdAt"]?.stationTime ?? ""),
            (visit.t("状态", "Status"), resident["status"]?.stringValue == "closed" ? visit.t("已销册", "Closed") : visit.t("在册", "Active")),
        ]
        if resident["closedAt"] != nil {
            rows.append(
                (
                    visit.t("销册", "Closed"),
                    "\(resident["closedAt"]?.stationTime ?? "") \(resident["closedReason"]?.stationText ?? "") \(resident["closedNote"]?.stationText ?? "")"
                ))
        }
        let phone = resident["contactPhone"]?.stringValue ?? ""
        let lines = rows.map { label, value -> HTML in "<tr><th>\(label)</th><td>\(value)</td></tr>" }
        let dial: HTML = phone.isEmpty ? .empty : "<p><a href=\"tel:\(phone)\">\(visit.t("拨打", "Call")) \(phone)</a></p>"
        return "<div class=\"card\"><table class=\"wide\"><tbody>\(lines)</tbody></table>\(dial)</div>"
    }

    /// Who read the record, when and why, oldest first as the service lists them.
    static func reads(_ reads: JSONValue, _ visit: StaffVisit) -> HTML {
        let rows = reads.stationItems.map { read -> HTML in
            "<tr><td>\(read["at"]?.stationTime ?? "")</td><td>\(read["reader"]?.stationText ?? "")</td><td>\(read["role"]?.stationText ?? "")</td><td>\(read["reason"]?.stationText ?? "")</td></tr>"
        }
        return """
            <h2>\(visit.t("查阅记录", "Read log"))</h2>
            <table class="wide"><thead><tr><th>\(visit.t("时间", "When"))</th><th>\(visit.t("查阅人", "Reader"))</th>\
            <th>\(visit.t("角色", "Role"))</th><th>\(visit.t("理由", "Reason"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }
}
