import Foundation
import Models
import ServiceKit

/// A recruitment call as a station publishes it: for an organization, in an area, for some
/// roles and a headcount — a limit on sign-ups when `enforceHeadcount` says so — until a
/// deadline.
struct RecruitmentCallForm: Decodable {
    var organizationId: UUID?
    var area: String?
    var title: String?
    var roles: [String]?
    var headcount: Int?
    var enforceHeadcount: Bool?
    var deadline: String?

    func validated(now: Date = Date()) throws(ProblemDetails) -> NewRecruitmentCall {
        var validator = FieldValidator()
        let organization = validator.required(organizationId, "organizationId")
        let area = validator.area(area, "area")
        let title = validator.text(title, "title", maxLength: 200)
        let roles = validator.required(roles, "roles") ?? []
        if self.roles != nil { Self.checkRoles(roles, into: &validator) }
        let headcount = validator.range(headcount, "headcount", Self.headcounts)
        let deadline = Self.deadline(self.deadline, now: now, into: &validator)
        guard let organization, let area, let title, let headcount, let deadline, validator.errors.isEmpty else {
            throw ProblemDetails.validation(validator.errors)
        }
        return NewRecruitmentCall(
            organization: organization, area: area, title: title, roles: roles, headcount: headcount,
            enforceHeadcount: enforceHeadcount ?? false, deadline: deadline
        )
    }

    static let headcounts = 1...100_000

    static func checkRoles(_ roles: [String], into validator: inout FieldValidator) {
        if roles.isEmpty || roles.count > 20 || roles.contains(where: { $0.isEmpty || $0.count > 50 }) {
            validator.fail("roles", "must list 1–20 roles of at most 50 characters")
        }
    }

    /// The deadline, required, an RFC 3339 time in the future.
    static func deadline(_ text: String?, now: Date, into validator: inout FieldValidator) -> Date? {
        guard let text else {
            validator.fail("deadline", "is required")
            return nil
        }
        guard let deadline = Timestamp.parse(text) else {
            validator.fail("deadline", "must be an RFC 3339 time")
            return nil
        }
        guard deadline >= now else {
            validator.fail("deadline", "must be in the future")
            return nil
        }
        return deadline
    }
}

/// A recruitment call that passed every check that needs no database.
struct NewRecruitmentCall: Sendable {
    var organization: UUID
    var area: AreaCode
    var title: String
    var roles: [String]
    var headcount: Int
    var enforceHeadcount: Bool
    var deadline: Date
}
