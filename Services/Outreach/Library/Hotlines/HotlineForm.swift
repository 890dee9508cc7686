import Foundation
import Models
import ServiceKit

/// The hotlines whose calls are logged.
enum HotlineLine: String, Sendable, CaseIterable, Codable {
    case psychologicalSupport = "psychological-support"
    case service
    case children
}

/// An inbound hotline call as the operator logged it.
struct HotlineForm: Decodable {
    var line: String?
    var topic: String?
    var durationSeconds: Int?
    var referral: String?
    var anonymous: Bool?
    var residentId: UUID?
    var area: String?
}

/// A hotline call that passed every check that needs no database: an anonymous call
/// names no resident.
struct HotlineCall: Sendable {
    var line: HotlineLine
    var topic: String
    var durationSeconds: Int
    var referral: String?
    var anonymous: Bool
    var resident: UUID?
    var area: AreaCode
}

extension HotlineForm {
    func validated() throws(ProblemDetails) -> HotlineCall {
        var validator = FieldValidator()
        let line: HotlineLine? = validator.oneOf(line, "line")
        let topic = validator.text(topic, "topic", maxLength: 200)
        let duration = validator.range(durationSeconds, "durationSeconds", 0...86_400)
        let referral = validator.text(referral, "referral", maxLength: 200, optional: true)
        let anonymous = validator.required(anonymous, "anonymous")
        let area = validator.area(area, "area")
        if anonymous == true && residentId != nil { validator.fail("residentId", "an anonymous call names no resident") }
        try validator.check()
        return HotlineCall(
            line: line!, topic: topic!, durationSeconds: duration!, referral: referral, anonymous: anonymous!, resident: residentId,
            area: area!
        )
    }
}
