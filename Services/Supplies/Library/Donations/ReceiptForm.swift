import Foundation
import Models
import ServiceKit

/// One delivery as the station worker records it: what arrived, and from whom.
struct ReceiptForm: Decodable {
    struct Line: Decodable {
        var itemId: UUID?
        var quantity: Int?
        var expiresAt: String?
    }

    var depotId: UUID?
    var donorId: UUID?
    var pledgeId: UUID?
    var lines: [Line]?
}

/// A delivery that passed every check that needs no database: 1–200 lines, none expired.
struct NewReceipt: Sendable {
    struct Line: Sendable {
        var item: UUID
        var quantity: Int
        /// Fresh vegetables and medicines expire; masks mostly do not.
        var expiresAt: Date?
    }

    var depot: UUID
    /// Bought stock has no donor.
    var donor: UUID?
    var pledge: UUID?
    var lines: [Line]

    var total: Int { lines.reduce(0) { $0 + $1.quantity } }
}

extension ReceiptForm {
    func validated(now: Date = Date()) throws(ProblemDetails) -> NewReceipt {
        var validator = FieldValidator()
        let depot = validator.required(depotId, "depotId")
        let lines = lines ?? []
        if !(1...200).contains(lines.count) { validator.fail("lines", "a receipt has 1–200 lines") }
        var checked: [NewReceipt.Line] = []
        for (index, line) in lines.enumerated() {
            let item = validator.required(line.itemId, "lines/\(index)/itemId")
            let quantity = validator.range(line.quantity, "lines/\(index)/quantity", 1...10_000_000)
            let expiry = line.expiresAt.map(Timestamp.parse)
            switch expiry {
            case .some(nil): validator.fail("lines/\(index)/expiresAt", "must be an RFC 3339 time")
            case .some(let date?) where date <= now: validator.fail("lines/\(index)/expiresAt", "is past: expired stock is not received")
            default: break
            }
            if let item, let quantity { checked.append(.init(item: item, quantity: quantity, expiresAt: expiry ?? nil)) }
        }
        guard let depot, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return NewReceipt(depot: depot, donor: donorId, pledge: pledgeId, lines: checked)
    }
}
