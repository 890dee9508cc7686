import Foundation
import Models
import ServiceKit

/// A call campaign as the station submitted it: "every resident over 80 in this street".
struct CampaignForm: Decodable {
    var title: String?
    var area: String?
    var categories: [String]?
    var minimumAge: Int?
    var callers: [String]?
}

/// A campaign that passed every check that needs no database: whom to call, and who calls.
struct NewCampaign: Sendable {
    var title: String
    var area: AreaCode
    /// Empty: every category of the registry.
    var categories: [VulnerabilityCategory]
    /// Nil: any age.
    var minimumAge: Int?
    /// The subjects of the callers' tokens, sorted, without repeats.
    var callers: [String]
}

extension CampaignForm {
    func validated() throws(ProblemDetails) -> NewCampaign {
        var validator = FieldValidator()
        let title = validator.text(title, "title", maxLength: 200)
        let area = validator.area(area, "area")
        var categories: [VulnerabilityCategory] = []
        for (index, text) in (self.categories ?? []).enumerated() {
            if let category: VulnerabilityCategory = validator.oneOf(text, "categories/\(index)") { categories.append(category) }
        }
        let minimumAge = validator.range(minimumAge, "minimumAge", 0...130, optional: true)
        let callers = Array(Set((self.callers ?? []).filter { !$0.isEmpty })).sorted()
        if !(1...500).contains(callers.count) { validator.fail("callers", "name 1–500 callers (the subjects of their tokens)") }
        if callers.contains(where: { $0.count > 64 }) {
            validator.fail("callers", "a caller is the subject of their token, at most 64 characters")
        }
        try validator.check()
        return NewCampaign(title: title!, area: area!, categories: categories, minimumAge: minimumAge, callers: callers)
    }
}
