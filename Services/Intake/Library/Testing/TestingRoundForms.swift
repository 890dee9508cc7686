import Foundation
import Models
import ServiceKit

/// A testing round (全员核酸) over an area, from its start to its end, and how many
/// residents' swabs share a tube (1, or 10 for 十混一, 20 for 二十混一; 1 when not said).
struct RoundForm: Decodable {
    var name: String?
    var area: String?
    var startsAt: String?
    var endsAt: String?
    var poolSize: Int?

    static let poolSizes = [1, 10, 20]

    func validated() throws(ProblemDetails) -> NewRound {
        var validator = FieldValidator()
        let name = validator.text(name, "name", maxLength: 100)
        let area = validator.area(area, "area")
        let starts = startsAt.flatMap(Timestamp.parse)
        let ends = endsAt.flatMap(Timestamp.parse)
        if starts == nil { validator.fail("startsAt", "must be an RFC 3339 time") }
        if ends == nil { validator.fail("endsAt", "must be an RFC 3339 time") }
        if let starts, let ends, ends <= starts { validator.fail("endsAt", "must be after startsAt") }
        let pool = poolSize ?? 1
        if !Self.poolSizes.contains(pool) { validator.fail("poolSize", "must be 1, 10 or 20 residents a tube") }
        guard let name, let area, let starts, let ends, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return NewRound(name: name, area: area, startsAt: starts, endsAt: ends, poolSize: pool)
    }
}

struct NewRound: Sendable {
    var name: String
    var area: AreaCode
    var startsAt: Date
    var endsAt: Date
    var poolSize: Int
}

/// A sampling site of a round: where it stands, its daily hours and how many residents it
/// expects (the denominator of the round's progress).
struct SiteForm: Decodable {
    var area: String?
    var name: String?
    var opensAt: String?
    var closesAt: String?
    var expectedPopulation: Int?

    func validated() throws(ProblemDetails) -> NewSite {
        var validator = FieldValidator()
        let area = validator.area(area, "area")
        let name = validator.text(name, "name", maxLength: 100)
        let opens = validator.text(opensAt, "opensAt", maxLength: 5)
        let closes = validator.text(closesAt, "closesAt", maxLength: 5)
        for (field, value) in [("opensAt", opens), ("closesAt", closes)] {
            if let value, !Self.isClockTime(value) { validator.fail(field, "must be a time of day like 07:30") }
        }
        let expected = validator.range(expectedPopulation, "expectedPopulation", 1...5_000_000)
        guard let area, let name, let opens, let closes, let expected, validator.errors.isEmpty else {
            throw ProblemDetails.validation(validator.errors)
        }
        return NewSite(area: area, name: name, opensAt: opens, closesAt: closes, expectedPopulation: expected)
    }

    static func isClockTime(_ text: String) -> Bool {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), parts[1].count == 2 else { return false }
        return (0...23).contains(hour) && (0...59).contains(minute)
    }
}

struct NewSite: Sendable {
    var area: AreaCode
    var name: String
    var opensAt: String
    var closesAt: String
    var expectedPopulation: Int
}
