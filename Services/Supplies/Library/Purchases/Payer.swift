import Foundation
import Models
import ServiceKit

/// Who paid for an errand, or who is paid back: a volunteer, an organization (a charity
/// fund, the community's own account) or the resident themselves — by kind and id, never by
/// name, so it may travel in events and logs.
struct Payer: Sendable, Equatable, Codable {
    enum Kind: String, Sendable, Codable, CaseIterable {
        case volunteer, organization, resident
    }

    var kind: Kind
    /// The volunteer's or the organization's id; `nil` for the resident, whom the work order names.
    var id: UUID?
}

/// A payer as submitted.
struct PayerForm: Decodable {
    var kind: String?
    var id: UUID?
}

extension FieldValidator {
    /// A payer under `field`: a volunteer or an organization with its id, or the resident
    /// without one.
    mutating func payer(_ form: PayerForm?, _ field: String) -> Payer? {
        guard let form else { return nil }
        guard let kind: Payer.Kind = oneOf(form.kind, field + ".kind") else { return nil }
        switch (kind, form.id) {
        case (.resident, nil): return Payer(kind: .resident, id: nil)
        case (.resident, _?):
            fail(field + ".id", "the resident is named by the work order, not by an id")
            return nil
        case (_, nil):
            fail(field + ".id", "is required for a \(kind.rawValue)")
            return nil
        case (_, let id?): return Payer(kind: kind, id: id)
        }
    }
}
