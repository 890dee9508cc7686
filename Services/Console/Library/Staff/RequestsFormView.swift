/// The form of a resident's request for help, as a station worker takes it on the phone (the
/// elderly man with four days of pills and no smartphone) or a resident fills it in: what they
/// need, how urgent, where, and how to reach them. Values typed are shown again with the
/// service's word beside each field it refused.
struct RequestsFormView: Sendable {
    var page: PageContext
    var action: String
    var values: [String: String] = [:]
    var errors: [String: String] = [:]

    /// The form's fields, in the order the service names them in its refusals.
    static let fields = ["category", "urgency", "compound", "address", "zone", "contactName", "contactPhone", "drugName", "dose", "note"]

    var html: HTML {
        """
        <form method="post" action="\(action)" class="card" id="request-form">\(page.csrfField)
        \(choice("category", page.t("需要什么帮助", "What is needed"), WorkOrderWords.categories, WorkOrderWords.category))
        \(choice("urgency", page.t("紧急程度", "Urgency"), WorkOrderWords.urgencies, WorkOrderWords.urgency))
        \(input("compound", page.t("小区编码", "Compound code"), hint: "320505-004-012-03"))
        \(input("address", page.t("楼栋门牌", "Building and flat"), hint: page.t("3幢 201室", "Bldg 3, flat 201")))
        \(choice("zone", page.t("所在区域", "Zone"), WorkOrderWords.zones, WorkOrderWords.zone))
        \(input("contactName", page.t("联系人", "Contact")))
        \(input("contactPhone", page.t("联系电话", "Phone"), type: "tel"))
        <fieldset><legend>\(page.t("买药时填写", "For medicine"))</legend>
        \(input("drugName", page.t("药品名称", "Drug"), required: false))
        \(input("dose", page.t("剂量", "Dose"), required: false))
        </fieldset>
        \(input("note", page.t("备注", "Note"), required: false))
        <button id="request-submit">\(page.t("提交求助", "File the request"))</button>
        </form>
        """
    }

    private func problem(_ name: String) -> HTML {
        guard let message = errors[name] ?? errors["details/\(name)"] else { return .empty }
        return "<span class=\"error\" id=\"error-r-\(name)\">\(message)</span>"
    }

    private func input(_ name: String, _ label: String, type: String = "text", hint: String = "", required: Bool = true) -> HTML {
        let requiredAttribute: HTML = required ? " required" : ""
        return """
            <label>\(label)<input id="r-\(name)" name="\(name)" type="\(type)" value="\(values[name])" placeholder="\(hint)"\(requiredAttribute)>\(problem(name))</label>
            """
    }

    private func choice(_ name: String, _ label: String, _ codes: [String], _ words: (String?, PageContext) -> String) -> HTML {
        let items = codes.map { code -> HTML in
            let selected: HTML = values[name] == code ? " selected" : ""
            return "<option value=\"\(code)\"\(selected)>\(words(code, page))</option>"
        }
        return "<label>\(label)<select id=\"r-\(name)\" name=\"\(name)\" required>\(items)</select>\(problem(name))</label>"
    }
}
