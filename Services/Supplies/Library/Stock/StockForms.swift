import Foundation
import Models
import ServiceKit

/// A transfer between two depots, as submitted.
struct TransferForm: Decodable {
    var fromDepotId: UUID?
    var toDepotId: UUID?
    var itemId: UUID?
    var quantity: Int?
    var reason: String?
}

/// Stock of one item moving from one depot to another (a different one), with its reason.
struct Transfer: Sendable {
    var from: UUID
    var to: UUID
    var item: UUID
    var quantity: Int
    var reason: String
}

extension TransferForm {
    func validated() throws(ProblemDetails) -> Transfer {
        var validator = FieldValidator()
        let from = validator.required(fromDepotId, "fromDepotId")
        let to = validator.required(toDepotId, "toDepotId")
        if from != nil && from == to { validator.fail("toDepotId", "must differ from fromDepotId") }
        let item = validator.required(itemId, "itemId")
        let quantity = validator.range(quantity, "quantity", 1...10_000_000)
        let reason = validator.text(reason, "reason", maxLength: 500)
        // Every check that fails records its field, so a missing value always comes with its error.
        guard let from, let to, let item, let quantity, let reason, validator.errors.isEmpty else {
            throw ProblemDetails.validation(validator.errors)
        }
        return Transfer(from: from, to: to, item: item, quantity: quantity, reason: reason)
    }
}

/// A write-off, as submitted.
struct AdjustmentForm: Decodable {
    var lotId: UUID?
    var quantity: Int?
    var reason: String?
}

/// Damaged, expired or miscounted stock leaving a lot, with its reason.
struct WriteOff: Sendable {
    var lot: UUID
    var quantity: Int
    var reason: String
}

extension AdjustmentForm {
    func validated() throws(ProblemDetails) -> WriteOff {
        var validator = FieldValidator()
        let lot = validator.required(lotId, "lotId")
        let quantity = validator.range(quantity, "quantity", 1...10_000_000)
        let reason = validator.text(reason, "reason", maxLength: 500)
        guard let lot, let quantity, let reason, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return WriteOff(lot: lot, quantity: quantity, reason: reason)
    }
}

/// When an item counts as running low at a depot, as submitted.
struct ThresholdForm: Decodable {
    var depotId: UUID?
    var itemId: UUID?
    var minimum: Int?
    var horizonDays: Int?
}

/// Running low: below `minimum`, or out within `horizonDays` at the last seven days' pace.
struct StockThreshold: Codable, Sendable {
    var depotId: UUID
    var itemId: UUID
    var minimum: Int
    var horizonDays: Int
}

extension ThresholdForm {
    func validated() throws(ProblemDetails) -> StockThreshold {
        var validator = FieldValidator()
        let depot = validator.required(depotId, "depotId")
        let item = validator.required(itemId, "itemId")
        let minimum = validator.range(minimum, "minimum", 0...10_000_000)
        let horizon = validator.range(horizonDays ?? 3, "horizonDays", 1...90)
        guard let depot, let item, let minimum, let horizon, validator.errors.isEmpty else {
            throw ProblemDetails.validation(validator.errors)
        }
        return StockThreshold(depotId: depot, itemId: item, minimum: minimum, horizonDays: horizon)
    }
}
