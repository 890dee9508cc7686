import Foundation
import Models
import ServiceKit

/// Where a need came to light.
public enum NeedSource: String, Sendable, Codable, CaseIterable {
    case call, visit, hotline
}

/// Where a need stands, as intake, matching and supplies report on the request made of it.
public enum NeedStatus: String, Sendable, Codable, CaseIterable {
    /// Announced; intake has not filed the request yet.
    case identified
    /// Intake filed a request (工单) for it.
    case requested
    /// Delivered or completed: the follow-up call is due next (电话后续跟进).
    case fulfilled
    /// The request was cancelled or merged away.
    case closed
}

/// A need found on a call, visit or hotline, as the caller submitted it.
struct NeedForm: Decodable {
    var category: String?
    var urgency: String?
    var zone: String?
    var source: String?
    var details: WorkOrderDetails?
}

/// A need that passed every check that needs no database.
struct IdentifiedNeed: Sendable {
    var category: WorkOrderCategory
    var urgency: Urgency
    var zone: ZoneStatus
    var source: NeedSource
    var details: [String: JSONValue]
}

extension NeedForm {
    func validated() throws(ProblemDetails) -> IdentifiedNeed {
        var validator = FieldValidator()
        let category: WorkOrderCategory? = validator.oneOf(category, "category")
        let urgency: Urgency? = validator.oneOf(urgency, "urgency")
        let zone: ZoneStatus? = validator.oneOf(zone, "zone")
        let source: NeedSource? = validator.oneOf(source, "source")
        let details = validator.workOrderDetails(self.details, category: category)
        try validator.check()
        return IdentifiedNeed(category: category!, urgency: urgency!, zone: zone!, source: source!, details: details)
    }
}
