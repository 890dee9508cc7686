import Foundation

/// Which lots a reservation takes its quantity from: the first to expire first (FEFO), so
/// nothing spoils on the shelf while fresher stock goes out. Lots without an expiry date
/// go last; ties are broken by the order lots were received.
struct LotPlan: Sendable, Equatable {
    /// A lot's quantity that is on hand and not promised to anyone.
    struct Lot: Sendable, Equatable {
        var id: UUID
        var expiresAt: Date?
        var receivedSeq: Int64
        var available: Int
    }

    struct Take: Sendable, Equatable {
        var lot: UUID
        var quantity: Int
    }

    var takes: [Take]

    /// Plans `quantity` from `lots`; `nil` when they do not hold enough together.
    /// Lots expired at `now` are never taken.
    init?(quantity: Int, from lots: [Lot], now: Date) {
        guard quantity > 0 else { return nil }
        let usable = lots.filter { $0.available > 0 && ($0.expiresAt.map { $0 > now } ?? true) }.sorted(by: Self.firstToExpire)
        var remaining = quantity
        var takes: [Take] = []
        for lot in usable where remaining > 0 {
            let taken = min(lot.available, remaining)
            takes.append(Take(lot: lot.id, quantity: taken))
            remaining -= taken
        }
        guard remaining == 0 else { return nil }
        self.takes = takes
    }

    static func firstToExpire(_ a: Lot, _ b: Lot) -> Bool {
        switch (a.expiresAt, b.expiresAt) {
        case (let x?, let y?) where x != y: x < y
        case (_?, nil): true
        case (nil, _?): false
        default: a.receivedSeq < b.receivedSeq
        }
    }
}
