import Foundation
import Models
import ServiceKit

/// A change to a published call: any of its title, roles, headcount, headcount rule and
/// deadline; what is not sent stays as it is. The area and organization stay: a call for
/// another place is another call.
struct RecruitmentCallEditForm: Decodable {
    var title: String?
    var roles: [String]?
    var headcount: Int?
    var enforceHeadcount: Bool?
    var deadline: String?

    func validated(now: Date = Date()) throws(ProblemDetails) -> RecruitmentCallEdit {
        var validator = FieldValidator()
        let title = validator.text(title, "title", maxLength: 200, optional: true)
        if let roles { RecruitmentCallForm.checkRoles(roles, into: &validator) }
        let headcount = validator.range(headcount, "headcount", RecruitmentCallForm.headcounts, optional: true)
        let deadline = self.deadline == nil ? nil : RecruitmentCallForm.deadline(self.deadline, now: now, into: &validator)
        if title == nil && roles == nil && headcount == nil && enforceHeadcount == nil && deadline == nil && validator.errors.isEmpty {
            validator.fail("title", "send at least one of title, roles, headcount, enforceHeadcount, deadline")
        }
        try validator.check()
        return RecruitmentCallEdit(
            title: title, roles: roles, headcount: headcount, enforceHeadcount: enforceHeadcount, deadline: deadline)
    }
}

/// The fields a change sets; `nil` keeps the call's own.
struct RecruitmentCallEdit: Sendable {
    var title: String?
    var roles: [String]?
    var headcount: Int?
    var enforceHeadcount: Bool?
    var deadline: Date?
}
