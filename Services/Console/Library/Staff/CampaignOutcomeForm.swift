import Models

/// The outcome of one campaign call: the form a caller fills in with the contact in hand,
/// and the body `POST /v1/contacts/{id}/outcome` wants from it. A need is sent only with
/// "reached, has needs" and a target only with "needs escalation", as the service requires;
/// everything else is the service's to check (its 422 names the field).
enum CampaignOutcomeForm {
    static func html(_ visit: StaffVisit, action: String, recent: RoundsRecent) -> HTML {
        let page = visit.page
        let keep: HTML = recent.parameter.map { "<input type=\"hidden\" name=\"recent\" value=\"\($0)\">" } ?? .empty
        return """
            <form method="post" action="\(action)" class="card">\(page.csrfField)\(keep)
            <h2>\(visit.t("通话结果", "Outcome of the call"))</h2>
            <label>\(visit.t("结果", "Outcome"))<select name="outcome" required>\
            \(RegistryLabels.options(RegistryLabels.outcomes, page, blank: visit.t("请选择", "Choose")))</select></label>
            <label>\(visit.t("备注", "Note"))<textarea name="note" maxlength="1000" rows="2"></textarea></label>
            <fieldset><legend>\(visit.t("有需求时填写", "Only when reached with needs"))</legend>
            <label>\(visit.t("需求类别", "Need"))<select name="needCategory">\
            \(RegistryLabels.options(RegistryLabels.needCategories, page, blank: "—"))</select></label>
            <label>\(visit.t("紧急程度", "Urgency"))<select name="urgency">\(RegistryLabels.options(RegistryLabels.urgencies, page))</select></label>
            <label>\(visit.t("所在区域", "Zone"))<select name="zone">\(RegistryLabels.options(RegistryLabels.zones, page))</select></label>
            <label>\(visit.t("药品名称（配药必填）", "Drug (for medicine)"))<input name="drugName" maxlength="100"></label>
            <label>\(visit.t("剂量（配药必填）", "Dose (for medicine)"))<input name="dose" maxlength="100"></label>
            <label>\(visit.t("需求说明", "About the need"))<textarea name="needNote" maxlength="1000" rows="2"></textarea></label>
            </fieldset>
            <fieldset><legend>\(visit.t("需上报时填写", "Only when escalating"))</legend>
            <label>\(visit.t("上报至", "Escalate to"))<select name="escalateTo">\
            \(RegistryLabels.options(RegistryLabels.escalationTargets, page, blank: "—"))</select></label>
            </fieldset>
            <p class="hint">\(visit.t("无人接听时系统会安排重拨（最多三次，间隔两小时、四小时）。",
                "No answer is tried again: up to three attempts, two then four hours apart."))</p>
            <button>\(visit.t("保存结果", "Record the outcome"))</button></form>
            """
    }

    /// The service's body from the posted form.
    static func body(_ form: FormBody) -> JSONValue {
        let outcome = form.text("outcome") ?? ""
        var body: [String: JSONValue] = ["outcome": .string(outcome)]
        if let note = form.text("note") { body["note"] = .string(note) }
        if outcome == "reached-with-needs" {
            var details: [String: JSONValue] = [:]
            if let drug = form.text("drugName") { details["drugName"] = .string(drug) }
            if let dose = form.text("dose") { details["dose"] = .string(dose) }
            if let note = form.text("needNote") { details["note"] = .string(note) }
            var need: [String: JSONValue] = [
                "category": .string(form.text("needCategory") ?? ""), "urgency": .string(form.text("urgency") ?? "normal"),
                "zone": .string(form.text("zone") ?? "precaution"), "source": .string("call"),
            ]
            if !details.isEmpty { need["details"] = .object(details) }
            body["need"] = .object(need)
        }
        if outcome == "needs-escalation" { body["escalateTo"] = .string(form.text("escalateTo") ?? "") }
        return .object(body)
    }
}
