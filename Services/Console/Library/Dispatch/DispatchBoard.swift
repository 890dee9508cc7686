import Foundation
import Models

/// The dispatcher's board as lanes: what matching's `GET /v1/dispatch-board` answered, sorted
/// into unassigned, offering and assigned, the requests nobody took for 15 minutes marked.
struct DispatchBoard: Sendable, Equatable {
    struct Row: Sendable, Equatable {
        var requestID: String
        var compound: String
        var category: String
        var urgency: String
        var status: String
        var holder: String?
        /// When the current offer lapses, while offering.
        var offerExpiresAt: Date?
        var ageMinutes: Int
        var minutesSinceLastMovement: Int
        /// Unassigned, or still offered, for more than 15 minutes: the station should act.
        var isLate: Bool { status != "assigned" && ageMinutes > 15 }
    }

    static let lanes = ["unassigned", "offering", "assigned"]
    var rows: [Row]

    init(_ answer: JSONValue) {
        guard case .array(let items) = answer else {
            rows = []
            return
        }
        rows = items.compactMap { item in
            guard let id = item["requestId"]?.stringValue, let status = item["status"]?.stringValue else { return nil }
            return Row(
                requestID: id, compound: item["compound"]?.stringValue ?? "", category: item["category"]?.stringValue ?? "",
                urgency: item["urgency"]?.stringValue ?? "", status: status, holder: item["holder"]?.stringValue,
                offerExpiresAt: item["offerExpiresAt"]?.stringValue.flatMap(Timestamp.parse),
                ageMinutes: item["ageMinutes"]?.intValue ?? 0, minutesSinceLastMovement: item["minutesSinceLastMovement"]?.intValue ?? 0)
        }
    }

    func lane(_ status: String) -> [Row] { rows.filter { $0.status == status } }
    var late: [Row] { rows.filter(\.isLate) }
}
