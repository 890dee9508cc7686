import Foundation
import Models
import ServiceKit

/// Who a notice is for.
enum NoticeAudience: String, Sendable, CaseIterable, Codable {
    case residents, volunteers
    /// The residents of one registry category in the area.
    case registryCategory = "registry-category"
}

/// A notice as the station wrote it: a text per language tag (`zh`, `wuu-x-hangzhou`, `nan`
/// …), Mandarin (`zh`) always.
struct NoticeForm: Decodable {
    var title: String?
    var area: String?
    var audience: String?
    var category: String?
    var variants: [String: String]?
}

/// A notice that passed every check that needs no database.
struct NewNotice: Sendable {
    var title: String
    var area: AreaCode
    var audience: NoticeAudience
    /// Only for the audience `registry-category`.
    var category: VulnerabilityCategory?
    var variants: [LanguageTag: String]
}

extension NoticeForm {
    func validated() throws(ProblemDetails) -> NewNotice {
        var validator = FieldValidator()
        let title = validator.text(title, "title", maxLength: 200)
        let area = validator.area(area, "area")
        let audience: NoticeAudience? = validator.oneOf(audience, "audience")
        let category: VulnerabilityCategory? = validator.oneOf(category, "category", optional: audience != .registryCategory)
        var variants: [LanguageTag: String] = [:]
        for (key, text) in (self.variants ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let language = validator.languageTag(key, "variants/\(key)", like: "zh, yue, nan, wuu-x-hangzhou or zh-x-sichuan")
            else { continue }
            guard variants[language] == nil else {
                validator.fail("variants/\(key)", "is \(language) again; give each language once")
                continue
            }
            if let text = validator.text(text, "variants/\(key)", maxLength: 4000) { variants[language] = text }
        }
        if self.variants?.keys.contains(where: { LanguageTag($0) == .mandarin }) != true {
            validator.fail("variants/zh", "every notice has a Mandarin text (zh)")
        }
        try validator.check()
        return NewNotice(title: title!, area: area!, audience: audience!, category: category, variants: variants)
    }
}

/// A reader's acknowledgement: an opaque reader id (never a number), and the language tag
/// they asked for (Mandarin when not said); it is counted under the tag they were served.
struct NoticeReadForm: Decodable {
    var reader: String?
    var language: String?
}

struct NoticeRead: Sendable {
    var reader: String
    var language: LanguageTag
}

extension NoticeReadForm {
    func validated() throws(ProblemDetails) -> NoticeRead {
        var validator = FieldValidator()
        let reader = validator.text(reader, "reader", maxLength: 64)
        let language = validator.languageTag(language ?? LanguageTag.mandarin.rawValue, "language", like: "zh, nan or wuu-x-hangzhou")
        try validator.check()
        return NoticeRead(reader: reader!, language: language!)
    }
}
