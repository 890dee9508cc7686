import Foundation
import Models

/// A kept allocation plan's life: proposed by whoever computed it, approved by street staff
/// or an operator covering its area, then carried out as transfers in one action. Each step
/// happens once; a plan carried out is never carried out again.
struct AllocationProgress: Sendable, Equatable {
    enum Status: String, Sendable, Codable, CaseIterable {
        case proposed, approved, transferred
    }

    private(set) var status: Status

    init(status: Status) { self.status = status }

    mutating func approve() throws(Refusal) {
        guard status == .proposed else {
            throw Refusal("This plan is already \(status.rawValue).", title: "Already \(status.rawValue)")
        }
        status = .approved
    }

    mutating func transfer() throws(Refusal) {
        switch status {
        case .approved: status = .transferred
        case .proposed: throw Refusal("This plan is not approved yet; approve it first.", title: "Not approved")
        case .transferred: throw Refusal("This plan was already carried out.", title: "Already transferred")
        }
    }
}
