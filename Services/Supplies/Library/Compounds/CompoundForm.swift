import Foundation
import Models
import ServiceKit

/// A compound's control status as the street reports it (`PUT /v1/compounds/{code}`).
struct CompoundForm: Decodable {
    var status: String?
    var households: Int?
    var population: Int?
}

/// What the street says of one compound: sealed 封控, controlled 管控 or precaution 防范,
/// with how many households (and, when known, residents) live there. The allocation counts
/// these households; it no longer guesses them from open requests.
struct CompoundReport: Sendable, Equatable {
    var status: ZoneStatus
    var households: Int
    /// `nil` when the street has not counted the residents.
    var population: Int?
}

extension CompoundForm {
    func validated() throws(ProblemDetails) -> CompoundReport {
        var validator = FieldValidator()
        let status: ZoneStatus? = validator.oneOf(status, "status")
        let households = validator.range(households, "households", 0...100_000)
        let population = validator.range(population, "population", 0...1_000_000, optional: true)
        // Every check that fails records its field, so a missing value always comes with its error.
        guard let status, let households, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return CompoundReport(status: status, households: households, population: population)
    }
}
