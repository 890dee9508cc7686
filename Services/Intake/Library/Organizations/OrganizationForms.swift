import Foundation
import Models
import ServiceKit

/// A social organization, social-work station, street office or community committee, as
/// staff register it.
struct OrganizationForm: Decodable, Sendable {
    enum Kind: String, CaseIterable, Codable, Sendable {
        case socialOrganization = "social-organization"
        case socialWorkStation = "social-work-station"
        case streetOffice = "street-office"
        case communityCommittee = "community-committee"
    }

    var kind: String?
    var name: String?
    var area: String?

    func validated() throws(ProblemDetails) -> NewOrganization {
        var validator = FieldValidator()
        let kind: Kind? = validator.oneOf(kind, "kind")
        let name = validator.text(name, "name", maxLength: 100)
        let area = validator.area(area, "area")
        guard let kind, let name, let area, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return NewOrganization(kind: kind, name: name, area: area)
    }
}

struct NewOrganization: Sendable {
    var kind: OrganizationForm.Kind
    var name: String
    var area: AreaCode
}

/// A team (整团作战: volunteers who work together), optionally of an organization.
struct TeamForm: Decodable, Sendable {
    var organizationId: UUID?
    var name: String?
    var area: String?

    func validated() throws(ProblemDetails) -> NewTeam {
        var validator = FieldValidator()
        let name = validator.text(name, "name", maxLength: 100)
        let area = validator.area(area, "area")
        guard let name, let area, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return NewTeam(organization: organizationId, name: name, area: area)
    }
}

struct NewTeam: Sendable {
    /// A team may stand on its own (neighbours who organized themselves).
    var organization: UUID?
    var name: String
    var area: AreaCode
}
