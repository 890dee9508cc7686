import Foundation
import Models

/// Who filed the request.
public enum FiledBy: String, Sendable, Codable, CaseIterable {
    /// The resident, through the public endpoint.
    case resident
    /// A hotline operator on the resident's behalf (the elderly man without a smartphone).
    case phoneOperator = "phone-operator"
    case volunteer
    /// Turned from a need an outreach call or visit found.
    case outreach
}

/// The fields of a request that may travel on the bus and appear in lists.
struct WorkOrderSummary: Sendable {
    var id: UUID
    var category: WorkOrderCategory
    var urgency: Urgency
    var zone: ZoneStatus
    var compound: AreaCode
    var status: WorkOrderStatus
    var filedBy: FiledBy
}

/// Requests from the same household for the same thing close together are probably one
/// need sent twice; the household is the compound plus the address, normalised.
enum HouseholdKey {
    static func make(compound: AreaCode, address: String) -> String {
        let folded = address.lowercased().filter { !$0.isWhitespace && !",，.。-—#号室".contains($0) }
        return compound.rawValue + "|" + folded
    }
}
