import Foundation
import Models

/// One change to a lot's stock. The ledger is append-only: every movement is kept with its
/// reason, and a lot's balance is the sum of its movements.
struct StockMovement: Sendable, Equatable {
    enum Kind: String, Sendable, Codable, CaseIterable {
        /// Donated or bought stock arrives.
        case receipt
        /// Promised to a work order: still on the shelf, no longer available.
        case reservation
        /// A promise withdrawn (the request was cancelled, the delivery failed).
        case release
        /// A reserved quantity leaves the depot (delivered).
        case issue
        /// Moved to another depot: leaves here…
        case transferOut = "transfer-out"
        /// …and arrives there.
        case transferIn = "transfer-in"
        /// Damaged, expired or counted wrong: written off with a reason.
        case adjustment
    }

    var lot: UUID
    var kind: Kind
    var quantity: Int

    /// How the lot's on-hand and reserved quantities change.
    var change: (onHand: Int, reserved: Int) {
        switch kind {
        case .receipt, .transferIn: (quantity, 0)
        case .reservation: (0, quantity)
        case .release: (0, -quantity)
        case .issue: (-quantity, -quantity)
        case .transferOut, .adjustment: (-quantity, 0)
        }
    }
}

/// A lot's running totals: what is on the shelf, and how much of it is promised.
struct StockBalance: Sendable, Equatable {
    var onHand = 0
    var reserved = 0

    var available: Int { onHand - reserved }

    /// Applies `movement`, refusing any that would make a quantity negative or promise
    /// more than is on hand — the same rule the database's CHECKs enforce. The refusal is
    /// in the station worker's words; the problem middleware answers it 409.
    mutating func apply(_ movement: StockMovement) throws(Refusal) {
        guard movement.quantity > 0 else { throw Refusal("A movement moves a positive quantity.") }
        let (onHandChange, reservedChange) = movement.change
        let next = StockBalance(onHand: onHand + onHandChange, reserved: reserved + reservedChange)
        guard next.reserved >= 0 else { throw Refusal("Only \(reserved) reserved; cannot release or issue \(movement.quantity).") }
        guard next.onHand >= 0, next.reserved <= next.onHand else {
            throw Refusal("Only \(available) available; cannot \(movement.kind.rawValue) \(movement.quantity).")
        }
        self = next
    }
}
