import Foundation

/// Stock promised to a work order: held until it is delivered (issued) or no longer
/// needed (released). A reservation ends once; a late or repeated request to end it again
/// changes nothing.
struct Reservation: Sendable, Equatable {
    enum Status: String, Sendable, Codable, CaseIterable {
        case held, released, issued
    }

    var id: UUID
    var request: UUID?
    var depot: UUID
    var item: UUID
    var quantity: Int
    var status: Status

    /// Whether `next` may follow the current status: only a held reservation ends.
    func canEnd(as next: Status) -> Bool {
        status == .held && next != .held
    }
}
