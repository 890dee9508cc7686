import Foundation
import Models
import ServiceKit

/// What an item is, as the catalogue keeps it.
enum ItemCategory: String, CaseIterable, Codable {
    case protectiveEquipment = "protective-equipment"
    case food, medicine
    case testKit = "test-kit"
    case disinfectant, other
}

/// Where stock is kept.
enum DepotKind: String, CaseIterable, Codable {
    case charitySupermarket = "charity-supermarket"
    case socialWorkStation = "social-work-station"
    case communityStore = "community-store"
}

/// A catalogue item as submitted.
struct ItemForm: Decodable {
    var name: String?
    var unit: String?
    var category: String?
    var drugName: String?
    var strength: String?
    var form: String?
}

/// An item that passed every check; medicines always carry their drug name, strength and form.
struct NewItem: Sendable {
    var name: String
    var unit: String
    var category: ItemCategory
    /// Required for medicines; other items may name a drug too (a disinfectant's active agent).
    var drugName: String?
    var strength: String?
    var form: String?
}

extension ItemForm {
    func validated() throws(ProblemDetails) -> NewItem {
        var validator = FieldValidator()
        let name = validator.text(name, "name", maxLength: 100)
        let unit = validator.text(unit, "unit", maxLength: 20)
        let category: ItemCategory? = validator.oneOf(category, "category")
        let drugName = validator.text(drugName, "drugName", maxLength: 100, optional: category != .medicine)
        let strength = validator.text(strength, "strength", maxLength: 50, optional: category != .medicine)
        let form = validator.text(form, "form", maxLength: 50, optional: category != .medicine)
        // Every check that fails records its field, so a missing value always comes with its error.
        guard let name, let unit, let category, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return NewItem(name: name, unit: unit, category: category, drugName: drugName, strength: strength, form: form)
    }
}

/// A depot as submitted.
struct DepotForm: Decodable {
    var name: String?
    var kind: String?
    var area: String?
}

struct NewDepot: Sendable {
    var name: String
    var kind: DepotKind
    var area: AreaCode
}

extension DepotForm {
    func validated() throws(ProblemDetails) -> NewDepot {
        var validator = FieldValidator()
        let name = validator.text(name, "name", maxLength: 100)
        let kind: DepotKind? = validator.oneOf(kind, "kind")
        let area = validator.area(area, "area")
        guard let name, let kind, let area, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return NewDepot(name: name, kind: kind, area: area)
    }
}
