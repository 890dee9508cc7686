import Foundation
import Models
import ServiceKit

/// A recruitment call as a station publishes it: for an organization, in an area, for some
/// roles and a headcount, until a deadline.
struct RecruitmentCallForm: Decodable {
    var organizationId: UUID?
    var area: String?
    var title: String?
    var roles: [String]?
    var headcount: Int?
    var deadline: String?

    func validated(now: Date = Date()) throws(ProblemDetails) -> NewRecruitmentCall {
        var validator = FieldValidator()
        let organization = validator.required(organizationId, "organizationId")
        let area = validator.area(area, "area")
        let title = validator.text(title, "title", maxLength: 200)
        let roles = validator.required(roles, "roles") ?? []
        if self.roles != nil && (roles.isEmpty || roles.count > 20 || roles.contains { $0.isEmpty || $0.count > 50 }) {
            validator.fail("roles", "must list 1–20 roles of at most 50 characters")
        }
        let headcount = validator.range(headcount, "headcount", 1...100_000)
        let deadline = self.deadline.flatMap(Timestamp.parse)
        if self.deadline == nil {
            validator.fail("deadline", "is required")
        } else if let deadline, deadline < now {
            validator.fail("deadline", "must be in the future")
        } else if deadline == nil {
            validator.fail("deadline", "must be an RFC 3339 time")
        }
        guard let organization, let area, let title, let headcount, let deadline, validator.errors.isEmpty else {
            throw ProblemDetails.validation(validator.errors)
        }
        return NewRecruitmentCall(
            organization: organization, area: area, title: title, roles: roles, headcount: headcount, deadline: deadline
        )
    }
}

/// A recruitment call that passed every check that needs no database.
struct NewRecruitmentCall: Sendable {
    var organization: UUID
    var area: AreaCode
    var title: String
    var roles: [String]
    var headcount: Int
    var deadline: Date
}
