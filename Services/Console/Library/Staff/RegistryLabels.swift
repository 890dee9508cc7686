/// The outreach service's codes (categories, care levels, outcomes …) as station staff say
/// them, Chinese first. A code the console does not know yet is shown as it came.
enum RegistryLabels {
    /// A code's words in the viewer's language.
    typealias Words = (zh: String, en: String)

    static let categories: [(code: String, words: Words)] = [
        ("elder-80-plus", ("80岁以上老人", "Aged 80+")),
        ("living-alone", ("独居", "Living alone")),
        ("disabled", ("残疾人", "Disabled")),
        ("child-in-difficulty", ("困境儿童", "Child in difficulty")),
        ("mental-health-recovery", ("精神障碍康复者", "Mental-health recovery")),
        ("seriously-ill", ("重病家庭", "Seriously ill")),
        ("carer-quarantined", ("照护人被隔离", "Carer quarantined")),
    ]

    static let careLevels: [(code: String, words: Words)] = [
        ("high", ("高（每日）", "High (daily)")),
        ("medium", ("中（每三天）", "Medium (every 3 days)")),
        ("low", ("低（每周）", "Low (weekly)")),
    ]

    /// Outcomes of a campaign call; a follow-up uses the first three.
    static let outcomes: [(code: String, words: Words)] = [
        ("reached-well", ("已联系，情况良好", "Reached, well")),
        ("reached-with-needs", ("已联系，有需求", "Reached, has needs")),
        ("no-answer", ("无人接听", "No answer")),
        ("wrong-number", ("号码错误", "Wrong number")),
        ("needs-escalation", ("需上报", "Needs escalation")),
    ]

    static let escalationTargets: [(code: String, words: Words)] = [
        ("civil-affairs", ("民政", "Civil affairs")),
        ("medical", ("医疗", "Medical")),
        ("street-office", ("街道办", "Street office")),
    ]

    static let needCategories: [(code: String, words: Words)] = [
        ("groceries", ("买菜", "Groceries")),
        ("medicine", ("配药", "Medicine")),
        ("garbage-pickup", ("垃圾清运", "Garbage pickup")),
        ("medical-escort", ("就医陪护", "Medical escort")),
        ("haircut", ("理发", "Haircut")),
        ("cleaning", ("保洁", "Cleaning")),
        ("psychological-support", ("心理疏导", "Psychological support")),
        ("other", ("其他", "Other")),
    ]

    static let urgencies: [(code: String, words: Words)] = [
        ("normal", ("一般", "Normal")), ("urgent", ("紧急", "Urgent")), ("critical", ("危急", "Critical")),
    ]

    static let zones: [(code: String, words: Words)] = [
        ("sealed", ("封控区", "Sealed")), ("controlled", ("管控区", "Controlled")), ("precaution", ("防范区", "Precaution")),
    ]

    static let audiences: [(code: String, words: Words)] = [
        ("residents", ("居民", "Residents")), ("volunteers", ("志愿者", "Volunteers")),
        ("registry-category", ("重点人群某一类", "One registry category")),
    ]

    /// The language tags a station writes notices in, with their names.
    static let languages: [(code: String, words: Words)] = [
        ("zh", ("普通话", "Mandarin")),
        ("wuu-x-suzhou", ("苏州话", "Suzhounese")),
        ("wuu-x-hangzhou", ("杭州话", "Hangzhounese")),
        ("wuu-x-shanghai", ("上海话", "Shanghainese")),
        ("zh-x-sichuan", ("四川话", "Sichuanese")),
        ("nan", ("闽南语", "Hokkien")),
        ("yue", ("粤语", "Cantonese")),
        ("en", ("英语", "English")),
    ]

    /// The words for `code` in `table`, or the code itself.
    static func name(_ code: String?, in table: [(code: String, words: Words)], _ page: PageContext) -> String {
        guard let code else { return "" }
        guard let words = table.first(where: { $0.code.caseInsensitiveCompare(code) == .orderedSame })?.words else { return code }
        return page.t(words.zh, words.en)
    }

    /// `<option>`s of a table, `selected` marking the chosen code.
    static func options(_ table: [(code: String, words: Words)], _ page: PageContext, selected: String? = nil, blank: String? = nil) -> HTML
    {
        let first: HTML = blank.map { "<option value=\"\">\($0)</option>" } ?? .empty
        let rest = table.map { entry -> HTML in
            let mark: HTML = entry.code == selected ? " selected" : ""
            return "<option value=\"\(entry.code)\"\(mark)>\(page.t(entry.words.zh, entry.words.en))</option>"
        }
        return "\(first)\(rest)"
    }
}
