import Foundation
import Models
import ServiceKit

/// The jobs of a testing round and a lockdown (registration and code scanning, queue order,
/// checkpoint 卡口, disinfection, delivery, publicity, canvassing, sampling).
enum PostRole: String, CaseIterable, Codable, Sendable {
    case registration
    case queueOrder = "queue-order"
    case checkpoint, disinfection, delivery, publicity, canvassing, sampling
}

/// A post as the station describes it.
struct PostForm: Decodable {
    var name: String?
    var area: String?
    var role: String?
    var requiredSkills: [String]?
    var anyDistrict: Bool?
}

/// A post that passed every check that needs no database.
struct NewPost: Sendable {
    var name: String
    /// A community or compound: a post stands somewhere volunteers can walk to.
    var area: AreaCode
    var role: PostRole
    var requiredSkills: [String]
    /// Volunteers of other districts may staff it (otherwise 就近就便: its district's only).
    var anyDistrict: Bool
}

extension PostForm {
    func validated() throws(ProblemDetails) -> NewPost {
        var validator = FieldValidator()
        let name = validator.text(name, "name", maxLength: 100)
        let area = validator.area(area, "area")
        if let area, area.level == .district || area.level == .street { validator.fail("area", "a post stands in a community or compound") }
        let role: PostRole? = validator.oneOf(role, "role")
        let skills = (requiredSkills ?? []).filter { !$0.isEmpty }
        if skills.count > 10 { validator.fail("requiredSkills", "at most 10") }
        guard let name, let area, let role, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return NewPost(name: name, area: area, role: role, requiredSkills: skills, anyDistrict: anyDistrict ?? false)
    }
}

/// A shift at a post as the station describes it.
struct ShiftForm: Decodable {
    var startsAt: String?
    var endsAt: String?
    var slots: Int?
}

/// A shift that passed every check that needs no database: it ends after it starts, within
/// a day, and wants 1–1000 volunteers.
struct NewShift: Sendable {
    var startsAt: Date
    var endsAt: Date
    var slots: Int
}

extension ShiftForm {
    func validated() throws(ProblemDetails) -> NewShift {
        var validator = FieldValidator()
        let starts = validator.required(startsAt.flatMap(Timestamp.parse), "startsAt")
        let ends = validator.required(endsAt.flatMap(Timestamp.parse), "endsAt")
        if let starts, let ends, ends <= starts || ends.timeIntervalSince(starts) > 24 * 3600 {
            validator.fail("endsAt", "a shift ends after it starts, within 24 hours")
        }
        let slots = validator.range(slots, "slots", 1...1000)
        guard let starts, let ends, let slots, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return NewShift(startsAt: starts, endsAt: ends, slots: slots)
    }
}
