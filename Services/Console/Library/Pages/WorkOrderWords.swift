/// A work order's codes — category, urgency, zone — in the viewer's language, Chinese first:
/// the one place the console names them, for the volunteer's phone, the request form and the
/// dispatch board alike. An unknown code is shown as it came, never hidden.
enum WorkOrderWords {
    /// The codes in the order a form offers them (the commonest need first).
    static let categories = [
        "medicine", "groceries", "garbage-pickup", "medical-escort", "haircut", "cleaning", "psychological-support", "other",
    ]
    static let urgencies = ["normal", "urgent", "critical"]
    static let zones = ["sealed", "controlled", "precaution"]

    static func category(_ code: String?, _ page: PageContext) -> String {
        switch code {
        case "groceries": page.t("代购生活物资", "Groceries")
        case "medicine": page.t("代购药品", "Medicine")
        case "garbage-pickup": page.t("垃圾清运", "Garbage pickup")
        case "medical-escort": page.t("就医陪护", "Medical escort")
        case "haircut": page.t("理发", "Haircut")
        case "cleaning": page.t("清洁", "Cleaning")
        case "psychological-support": page.t("心理疏导", "Psychological support")
        case "other": page.t("其他", "Other")
        default: code ?? ""
        }
    }

    static func urgency(_ code: String?, _ page: PageContext) -> String {
        switch code {
        case "normal": page.t("一般", "Normal")
        case "urgent": page.t("紧急", "Urgent")
        case "critical": page.t("危急", "Critical")
        default: code ?? ""
        }
    }

    static func zone(_ code: String?, _ page: PageContext) -> String {
        switch code {
        case "sealed": page.t("封控区", "Sealed")
        case "controlled": page.t("管控区", "Controlled")
        case "precaution": page.t("防范区", "Precaution")
        default: code ?? ""
        }
    }
}
