import Foundation
import Models

/// An errand purchase (代购): what is not in stock — a resident's own prescription — is
/// bought for them. The resident confirms the quoted price before anyone spends money,
/// and whoever paid (a volunteer, an organization, the resident) is recorded at purchase; the
/// one paid back after delivery is recorded at reimbursement — by default the one who paid.
struct ErrandPurchase: Sendable, Equatable {
    enum Status: String, Sendable, Codable, CaseIterable {
        case open, quoted, confirmed, purchased, delivered, reimbursed, cancelled
    }

    enum Action: String, Sendable, Codable, CaseIterable {
        case quote, confirm, purchase, deliver, reimburse, cancel

        /// The field that names this step's party — who paid (`paidBy`, a purchase) or who is
        /// paid back (`reimbursedTo`, a reimbursement) — in the step's form, the task's history
        /// and the event (`paidByKind`, `reimbursedToId` …); `nil` for a step that names none.
        var partyField: String? {
            switch self {
            case .purchase: "paidBy"
            case .reimburse: "reimbursedTo"
            case .quote, .confirm, .deliver, .cancel: nil
            }
        }
    }

    private(set) var status: Status = .open
    /// Yuan, in fen (分) so sums are exact.
    private(set) var quotedFen: Int?
    private(set) var paidFen: Int?
    private(set) var paidBy: Payer?
    private(set) var reimbursedTo: Payer?

    init(status: Status = .open, quotedFen: Int? = nil, paidFen: Int? = nil, paidBy: Payer? = nil, reimbursedTo: Payer? = nil) {
        self.status = status
        self.quotedFen = quotedFen
        self.paidFen = paidFen
        self.paidBy = paidBy
        self.reimbursedTo = reimbursedTo
    }

    /// Applies `action`; `amountFen` is the quote (quote) or the price paid (purchase);
    /// `party` is who paid (purchase, required) or who is paid back (reimburse; the one who
    /// paid when not given).
    mutating func apply(_ action: Action, amountFen: Int? = nil, party: Payer? = nil) throws(Refusal) {
        switch (action, status) {
        case (.quote, .open), (.quote, .quoted):
            guard let amountFen, amountFen > 0 else { throw Refusal("A quote needs a positive amount.") }
            quotedFen = amountFen
            status = .quoted
        case (.confirm, .quoted):
            status = .confirmed
        case (.purchase, .confirmed):
            guard let amountFen, amountFen > 0 else { throw Refusal("A purchase records the positive amount paid.") }
            // More than a fifth over the confirmed quote goes back to the resident first.
            if let quotedFen, amountFen > quotedFen + quotedFen / 5 {
                throw Refusal(
                    "Paid \(Self.yuan(amountFen)) against a confirmed quote of \(Self.yuan(quotedFen)); quote again and ask the resident to confirm."
                )
            }
            guard let party else { throw Refusal("A purchase records who paid: a volunteer, an organization or the resident.") }
            paidFen = amountFen
            paidBy = party
            status = .purchased
        case (.deliver, .purchased):
            status = .delivered
        case (.reimburse, .delivered):
            guard let payee = party ?? paidBy else { throw Refusal("Name who is paid back: nobody was recorded as paying.") }
            reimbursedTo = payee
            status = .reimbursed
        case (.cancel, .open), (.cancel, .quoted), (.cancel, .confirmed):
            status = .cancelled
        default:
            throw Refusal("A purchase that is \(status.rawValue) cannot be \(Self.pastTense(action)).")
        }
    }

    /// The party `action` recorded, once applied, under its ``Action/partyField``.
    func party(of action: Action) -> (field: String, payer: Payer)? {
        let payer: Payer? =
            switch action {
            case .purchase: paidBy
            case .reimburse: reimbursedTo
            case .quote, .confirm, .deliver, .cancel: nil
            }
        guard let field = action.partyField, let payer else { return nil }
        return (field, payer)
    }

    static func yuan(_ fen: Int) -> String { String(format: "¥%d.%02d", fen / 100, fen % 100) }

    private static func pastTense(_ action: Action) -> String {
        switch action {
        case .quote: "quoted"
        case .confirm: "confirmed"
        case .purchase: "purchased"
        case .deliver: "delivered"
        case .reimburse: "reimbursed"
        case .cancel: "cancelled"
        }
    }
}
