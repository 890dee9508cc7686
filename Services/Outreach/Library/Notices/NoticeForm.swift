import Foundation
import Models
import ServiceKit

/// Who a notice is for.
enum NoticeAudience: String, Sendable, CaseIterable, Codable {
    case residents, volunteers
    /// The residents of one registry category in the area.
    case registryCategory = "registry-category"
}

/// A notice as the station wrote it: a text per language, Mandarin always.
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
    var variants: [NoticeLanguage: String]
}

extension NoticeForm {
    func validated() throws(ProblemDetails) -> NewNotice {
        var validator = FieldValidator()
        let title = validator.text(title, "title", maxLength: 200)
        let area = validator.area(area, "area")
        let audience: NoticeAudience? = validator.oneOf(audience, "audience")
        let category: VulnerabilityCategory? = validator.oneOf(category, "category", optional: audience != .registryCategory)
        var variants: [NoticeLanguage: String] = [:]
        for (key, text) in self.variants ?? [:] {
            guard let language = NoticeLanguage(rawValue: key) else {
                validator.fail("variants/\(key)", "is not one of \(NoticeLanguage.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            if let text = validator.text(text, "variants/\(key)", maxLength: 4000) { variants[language] = text }
        }
        if variants[.mandarin] == nil { validator.fail("variants/mandarin", "every notice has a Mandarin text") }
        try validator.check()
        return NewNotice(title: title!, area: area!, audience: audience!, category: category, variants: variants)
    }
}

/// A reader's acknowledgement: an opaque reader id (never a number), and the language they
/// were served (Mandarin when not said).
struct NoticeReadForm: Decodable {
    var reader: String?
    var language: String?
}

struct NoticeRead: Sendable {
    var reader: String
    var language: NoticeLanguage
}

extension NoticeReadForm {
    func validated() throws(ProblemDetails) -> NoticeRead {
        var validator = FieldValidator()
        let reader = validator.text(reader, "reader", maxLength: 64)
        let language: NoticeLanguage? = validator.oneOf(language ?? NoticeLanguage.mandarin.rawValue, "language")
        try validator.check()
        return NoticeRead(reader: reader!, language: language!)
    }
}
