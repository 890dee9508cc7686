import Foundation
import Models
import ServiceKit

/// An errand purchase as submitted.
struct PurchaseForm: Decodable {
    var requestId: UUID?
    var area: String?
    var description: String?
}

struct NewPurchase: Sendable {
    /// The work order it serves; a station may also buy for a resident by hand.
    var request: UUID?
    var area: AreaCode
    var description: String
}

extension PurchaseForm {
    func validated() throws(ProblemDetails) -> NewPurchase {
        var validator = FieldValidator()
        let area = validator.area(area, "area")
        let description = validator.text(description, "description", maxLength: 500)
        // Every check that fails records its field, so a missing value always comes with its error.
        guard let area, let description, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return NewPurchase(request: requestId, area: area, description: description)
    }
}

/// One step of an errand purchase as submitted.
struct PurchaseActionForm: Decodable {
    var action: String?
    var amountFen: Int?
    var note: String?
    /// Who paid: required to purchase.
    var paidBy: PayerForm?
    /// Who is paid back: to reimburse; the one who paid when absent.
    var reimbursedTo: PayerForm?
}

/// A step that passed every check: a quote or a purchase always carries its amount, a
/// purchase who paid.
struct PurchaseStep: Sendable {
    var action: ErrandPurchase.Action
    /// The quote (quote) or the price paid (purchase); `nil` for every other step.
    var amountFen: Int?
    var note: String?
    /// Who paid (purchase) or who is paid back (reimburse, when named).
    var party: Payer?
}

extension PurchaseActionForm {
    func validated() throws(ProblemDetails) -> PurchaseStep {
        var validator = FieldValidator()
        let action: ErrandPurchase.Action? = validator.oneOf(action, "action")
        let note = validator.text(note, "note", maxLength: 500, optional: true)
        let amount = validator.range(amountFen, "amountFen", 1...10_000_000, optional: true)
        let priced = action == .quote || action == .purchase
        if let action, priced, amountFen == nil { validator.fail("amountFen", "is required to \(action.rawValue)") }
        let paidBy = validator.payer(paidBy, "paidBy")
        let reimbursedTo = validator.payer(reimbursedTo, "reimbursedTo")
        if action == .purchase && self.paidBy == nil { validator.fail("paidBy", "is required to purchase: who paid") }
        if let action, action != .purchase, self.paidBy != nil { validator.fail("paidBy", "is recorded only with a purchase") }
        if let action, action != .reimburse, self.reimbursedTo != nil {
            validator.fail("reimbursedTo", "is recorded only with a reimbursement")
        }
        guard let action, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        let party = action == .purchase ? paidBy : action == .reimburse ? reimbursedTo : nil
        return PurchaseStep(action: action, amountFen: priced ? amount : nil, note: note, party: party)
    }
}
