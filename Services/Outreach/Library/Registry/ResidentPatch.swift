import Foundation
import ServiceKit

/// An edit of a registry entry (`PATCH`, JSON merge patch): the fields given replace the
/// record's, the rest stay; `null` clears an optional field (`idNumber`, `carerName`,
/// `notes`). The merged entry is checked exactly as a registration is
/// (``ResidentForm/validated(now:)``), so an edit can never store what registering could not.
struct ResidentPatch: Decodable, Sendable {
    var form = ResidentForm()
    /// Optional fields sent as `null`: cleared.
    var cleared: Set<String> = []

    enum Field: String, CodingKey, CaseIterable {
        case name, idNumber, birthYear, compound, address, categories, careLevel, consent, contactName, contactPhone, carerName, notes
    }

    static let clearable: Set<Field> = [.idNumber, .carerName, .notes]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Field.self)
        for field in Field.allCases where container.contains(field) {
            if try container.decodeNil(forKey: field) {
                if Self.clearable.contains(field) { cleared.insert(field.rawValue) }
                continue
            }
            switch field {
            case .name: form.name = try container.decode(String.self, forKey: field)
            case .idNumber: form.idNumber = try container.decode(String.self, forKey: field)
            case .birthYear: form.birthYear = try container.decode(Int.self, forKey: field)
            case .compound: form.compound = try container.decode(String.self, forKey: field)
            case .address: form.address = try container.decode(String.self, forKey: field)
            case .categories: form.categories = try container.decode([String].self, forKey: field)
            case .careLevel: form.careLevel = try container.decode(String.self, forKey: field)
            case .consent: form.consent = try container.decode(Bool.self, forKey: field)
            case .contactName: form.contactName = try container.decode(String.self, forKey: field)
            case .contactPhone: form.contactPhone = try container.decode(String.self, forKey: field)
            case .carerName: form.carerName = try container.decode(String.self, forKey: field)
            case .notes: form.notes = try container.decode(String.self, forKey: field)
            }
        }
    }

    /// The record with this patch applied, as a registration form (not yet validated).
    func applied(to record: ResidentRecord) -> ResidentForm {
        func pick<T>(_ given: T?, _ field: Field, _ current: T?) -> T? {
            cleared.contains(field.rawValue) ? nil : given ?? current
        }
        return ResidentForm(
            name: form.name ?? record.name, idNumber: pick(form.idNumber, .idNumber, record.idNumber),
            birthYear: form.birthYear ?? record.birthYear, compound: form.compound ?? record.compound,
            address: form.address ?? record.address, categories: form.categories ?? record.categories,
            careLevel: form.careLevel ?? record.careLevel, consent: form.consent ?? record.consent,
            contactName: form.contactName ?? record.contactName, contactPhone: form.contactPhone ?? record.contactPhone,
            carerName: pick(form.carerName, .carerName, record.carerName), notes: pick(form.notes, .notes, record.notes)
        )
    }
}

extension VulnerableResident {
    /// The fields that differ from the stored `record`, by their names in the API (never
    /// their values).
    func changedFields(from record: ResidentRecord) -> [String] {
        let differs: [(String, Bool)] = [
            ("name", name != record.name), ("idNumber", idNumber?.value != record.idNumber), ("birthYear", birthYear != record.birthYear),
            ("compound", compound.rawValue != record.compound), ("address", address != record.address),
            ("categories", Set(categories.map(\.rawValue)) != Set(record.categories)),
            ("careLevel", careLevel.rawValue != record.careLevel),
            ("consent", consent != record.consent), ("contactName", contactName != record.contactName),
            ("contactPhone", contactPhone.digits != record.contactPhone), ("carerName", carerName != record.carerName),
            ("notes", notes != record.notes),
        ]
        return differs.filter(\.1).map(\.0)
    }
}
