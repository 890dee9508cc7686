import Foundation
import Models
import ServiceKit

/// Why a resident is on the registry (不让一名特殊困难群众因疫掉队): one or more of these.
public enum VulnerabilityCategory: String, Sendable, Codable, CaseIterable {
    case elderOver80 = "elder-80-plus"
    case livingAlone = "living-alone"
    case disabled
    case childInDifficulty = "child-in-difficulty"
    case mentalHealthRecovery = "mental-health-recovery"
    case seriouslyIll = "seriously-ill"
    case carerQuarantined = "carer-quarantined"
}

/// How closely outreach keeps watch: it sets the follow-up cadence.
public enum CareLevel: String, Sendable, Codable, CaseIterable {
    case high, medium, low
}

/// A registry entry as the form submitted it, checked field by field.
struct ResidentForm: Decodable {
    var name: String?
    var idNumber: String?
    var birthYear: Int?
    var compound: String?
    var address: String?
    var categories: [String]?
    var careLevel: String?
    var consent: Bool?
    var contactName: String?
    var contactPhone: String?
    var carerName: String?
    var notes: String?
}

/// A registry entry that passed every check that needs no database.
struct VulnerableResident: Sendable {
    var name: String
    var idNumber: ResidentIDNumber?
    var birthYear: Int
    var compound: AreaCode
    var address: String
    var categories: [VulnerabilityCategory]
    var careLevel: CareLevel
    var consent: Bool
    var contactName: String
    var contactPhone: MobileNumber
    var carerName: String?
    var notes: String?
}

extension ResidentForm {
    func validated(now: Date = Date()) throws(ProblemDetails) -> VulnerableResident {
        var validator = FieldValidator()
        let name = validator.text(name, "name", maxLength: 50)
        let idNumber = self.idNumber == nil ? nil : validator.idNumber(self.idNumber, "idNumber")
        let year = Calendar(identifier: .gregorian).component(.year, from: now)
        let birthYear = validator.range(birthYear, "birthYear", 1900...year)
        let compound = validator.area(compound, "compound", level: .compound)
        let address = validator.text(address, "address", maxLength: 200)
        var categories: [VulnerabilityCategory] = []
        if let given = self.categories, !given.isEmpty {
            for (index, text) in given.enumerated() {
                if let category: VulnerabilityCategory = validator.oneOf(text, "categories/\(index)") { categories.append(category) }
            }
        } else {
            validator.fail("categories", "name at least one of \(VulnerabilityCategory.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if categories.contains(.elderOver80), let birthYear, year - birthYear < 80 {
            validator.fail("categories", "elder-80-plus does not match birth year \(birthYear)")
        }
        let careLevel: CareLevel? = validator.oneOf(careLevel, "careLevel")
        let consent = validator.required(consent, "consent")
        let contactName = validator.text(contactName, "contactName", maxLength: 50)
        let contactPhone = validator.mobile(contactPhone, "contactPhone")
        let carerName = validator.text(carerName, "carerName", maxLength: 50, optional: true)
        let notes = validator.text(notes, "notes", maxLength: 2000, optional: true)
        try validator.check()
        return VulnerableResident(
            name: name!, idNumber: idNumber, birthYear: birthYear!, compound: compound!, address: address!,
            categories: Array(Set(categories)).sorted { $0.rawValue < $1.rawValue }, careLevel: careLevel!, consent: consent!,
            contactName: contactName!, contactPhone: contactPhone!, carerName: carerName, notes: notes
        )
    }
}
