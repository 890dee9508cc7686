import Foundation
import Models
import ServiceKit

/// One area of the tree as an operator loads it (`PUT /v1/areas` takes an array of them).
struct AreaForm: Decodable {
    var code: String?
    var name: String?
    var population: Int?

    static let maximumBatch = 50_000

    /// Checks every area of the batch — shape, no code twice, all within `access`'s scope —
    /// and returns them parents first, so the foreign key holds row by row.
    static func validated(_ forms: [AreaForm], scope access: AccessToken) throws(ProblemDetails) -> [NewArea] {
        guard (1...maximumBatch).contains(forms.count) else {
            throw ProblemDetails(status: .badRequest, detail: "Send 1–50,000 areas per request.")
        }
        var validator = FieldValidator()
        var areas: [NewArea] = []
        for (index, form) in forms.enumerated() {
            let code = validator.area(form.code, "\(index)/code")
            let name = validator.text(form.name, "\(index)/name", maxLength: 100)
            if let population = form.population { _ = validator.range(population, "\(index)/population", 0...10_000_000) }
            if let code, let name { areas.append(NewArea(code: code, name: name, population: form.population)) }
        }
        var seen = Set<AreaCode>()
        for (index, area) in areas.enumerated() {
            if !seen.insert(area.code).inserted { validator.fail("\(index)/code", "appears twice in this request") }
            if !access.covers(area.code) { validator.fail("\(index)/code", "is outside your scope (\(access.area?.rawValue ?? "city"))") }
        }
        try validator.check()
        return areas.sorted { $0.code.level < $1.code.level || ($0.code.level == $1.code.level && $0.code < $1.code) }
    }
}

struct NewArea: Sendable {
    var code: AreaCode
    var name: String
    var population: Int?
}
