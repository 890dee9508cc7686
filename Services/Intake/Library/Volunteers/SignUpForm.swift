import Foundation
import Models
import ServiceKit

/// What a volunteer fills in on a recruitment call's public page.
struct SignUpForm: Decodable {
    struct Window: Codable, Sendable {
        var from: String?
        var to: String?
    }

    var name: String?
    var mobile: String?
    var idNumber: String?
    var birthYear: Int?
    var homeCommunity: String?
    var teamId: UUID?
    var skills: [String]?
    var availability: [Window]?
    var health: HealthDeclarationForm?
}

enum Skill: String, CaseIterable, Sendable {
    case medical, driving, dialect, counselling, it, logistics
}

/// A sign-up that passed every check that needs no database.
struct NewVolunteer: Sendable {
    var name: String
    var mobile: MobileNumber
    var idNumber: ResidentIDNumber
    var birthYear: Int
    var community: AreaCode
    var team: UUID?
    var skills: [String]
    var availabilityJSON: String
    var health: HealthDeclaration
}

extension SignUpForm {
    /// Validates field by field; throws 422 listing every problem.
    func validated(now: Date = Date()) throws(ProblemDetails) -> NewVolunteer {
        var validator = FieldValidator()
        let name = validator.text(name, "name", maxLength: 50)
        let mobile = validator.mobile(mobile, "mobile")
        let idNumber = validator.idNumber(idNumber, "idNumber")
        let year = Calendar(identifier: .gregorian).component(.year, from: now)
        let birthYear = validator.range(birthYear, "birthYear", 1920...(year - 16))
        if let birthYear, let idNumber, idNumber.birthYear != birthYear {
            validator.fail("birthYear", "does not match the birth date in the ID number")
        }
        let community = validator.area(homeCommunity, "homeCommunity", level: .community)
        var skills: [String] = []
        for (index, skill) in (self.skills ?? []).enumerated() {
            if let skill = validator.oneOf(skill, "skills/\(index)") as Skill? { skills.append(skill.rawValue) }
        }
        var windows: [[String: String]] = []
        for (index, window) in (availability ?? []).enumerated() {
            let from = window.from.flatMap(Timestamp.parse)
            let to = window.to.flatMap(Timestamp.parse)
            guard let from, let to else {
                validator.fail("availability/\(index)", "needs from and to as RFC 3339 times")
                continue
            }
            if to <= from { validator.fail("availability/\(index)/to", "must be after from") }
            windows.append(["from": Timestamp.format(from), "to": Timestamp.format(to)])
        }
        let health = validator.required(health, "health")?.validate(into: &validator, path: "health")
        guard let name, let mobile, let idNumber, let birthYear, let community, let health, validator.errors.isEmpty else {
            throw ProblemDetails.validation(validator.errors)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return NewVolunteer(
            name: name, mobile: mobile, idNumber: idNumber, birthYear: birthYear, community: community, team: teamId, skills: skills,
            availabilityJSON: String(decoding: (try? encoder.encode(windows)) ?? Data("[]".utf8), as: UTF8.self), health: health
        )
    }
}
