import Models

/// A campaign's progress and the contact a caller holds, as outreach answers them.
enum CampaignContactView {
    /// Done against contacts, outcomes so far, and a row per caller (a caller sees their own).
    static func progress(_ progress: JSONValue, _ visit: StaffVisit) -> HTML {
        let contacts = progress["contacts"]?.stationNumber ?? 0
        let done = progress["done"]?.stationNumber ?? 0
        let outcomes = (progress["outcomes"]?.stationMembers ?? []).map { entry -> HTML in
            "<div class=\"number\"><b>\(entry.value.stationText)</b>\(RegistryLabels.name(entry.key, in: RegistryLabels.outcomes, visit.page))</div>"
        }
        let callers = (progress["callers"]?.stationItems ?? []).map { caller -> HTML in
            """
            <tr><td>\(caller["caller"]?.stationText ?? "")</td><td>\(caller["done"]?.stationText ?? "") / \(caller["contacts"]?.stationText ?? "")</td>\
            <td>\(caller["pending"]?.stationText ?? "")</td></tr>
            """
        }
        let bars = Chart.bars(
            [Chart.Bar(label: visit.t("已完成", "Done"), value: done, target: contacts)], title: visit.t("任务进度", "Campaign progress"))
        let table: HTML =
            callers.isEmpty
            ? .empty
            : """
            <table class="wide"><thead><tr><th>\(visit.t("话务员", "Caller"))</th><th>\(visit.t("完成 / 分配", "Done / assigned"))</th>\
            <th>\(visit.t("待拨", "Pending"))</th></tr></thead><tbody>\(callers)</tbody></table>
            """
        return """
            <p class="muted">\(progress["area"]?.stationText ?? "")</p>
            \(bars)
            <div class="numbers">\(outcomes)</div>
            \(table)
            """
    }

    /// Who to call and the number to dial, then the outcome form.
    static func html(_ contact: JSONValue, campaign: String, recent: RoundsRecent, _ visit: StaffVisit) -> HTML {
        let page = visit.page
        let contactID = RegistryQuery.uuid(contact["contactId"]?.stringValue) ?? ""
        let phone = contact["contactPhone"]?.stringValue ?? ""
        let categories = (contact["categories"]?.stationItems ?? []).map {
            RegistryLabels.name($0.stringValue, in: RegistryLabels.categories, page)
        }
        return """
            <div class="card"><h2>\(visit.t("当前联系人", "Contact in hand"))</h2>
            <p><b>\(contact["name"]?.stationText ?? "")</b> · \(categories.joined(separator: "、")) · \
            \(RegistryLabels.name(contact["careLevel"]?.stringValue, in: RegistryLabels.careLevels, page))</p>
            <p>\(visit.t("联系人", "Contact")): \(contact["contactName"]?.stationText ?? "") · <a href="tel:\(phone)">\(phone)</a></p>
            <p class="muted">\(visit.t("已拨打次数", "Attempts so far")): \(contact["attempts"]?.stationText ?? "0") · \
            \(visit.t("联系人为您保留15分钟。", "The contact is held for you for 15 minutes."))</p></div>
            \(CampaignOutcomeForm.html(visit, action: "/campaigns/\(campaign)/contacts/\(contactID)/outcome", recent: recent))
            """
    }
}
