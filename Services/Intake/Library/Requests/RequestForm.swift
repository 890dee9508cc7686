import Foundation
import Models
import ServiceKit

/// A resident's request as submitted (by the resident, an operator, a volunteer or outreach).
struct RequestForm: Decodable {
    var category: String?
    var details: WorkOrderDetails?
    var urgency: String?
    var compound: String?
    var address: String?
    var zone: String?
    var contactName: String?
    var contactPhone: String?
    var filedBy: String?
}

/// A request that passed every check that needs no database.
struct NewRequest: Sendable {
    var category: WorkOrderCategory
    var detailsJSON: String
    var urgency: Urgency
    var compound: AreaCode
    var address: String
    var zone: ZoneStatus
    var contactName: String
    var contactPhone: MobileNumber
    var filedBy: FiledBy
    /// The outreach need this request serves, when outreach found it.
    var outreachNeed: UUID? = nil

    var householdKey: String { HouseholdKey.make(compound: compound, address: address) }
}

extension RequestForm {
    func validated() throws(ProblemDetails) -> NewRequest {
        var validator = FieldValidator()
        let category: WorkOrderCategory? = validator.oneOf(category, "category")
        let details = validator.workOrderDetails(self.details, category: category)
        let urgency: Urgency? = validator.oneOf(urgency, "urgency")
        let compound = validator.area(compound, "compound", level: .compound)
        let address = validator.text(address, "address", maxLength: 200)
        let zone: ZoneStatus? = validator.oneOf(zone, "zone")
        let contactName = validator.text(contactName, "contactName", maxLength: 50)
        let contactPhone = validator.mobile(contactPhone, "contactPhone")
        let filedBy: FiledBy? = validator.oneOf(filedBy, "filedBy")
        guard let category, let urgency, let compound, let address, let zone, let contactName, let contactPhone, let filedBy,
            validator.errors.isEmpty
        else { throw ProblemDetails.validation(validator.errors) }
        return NewRequest(
            category: category, detailsJSON: JSONValue.object(details).canonicalText, urgency: urgency, compound: compound,
            address: address, zone: zone, contactName: contactName, contactPhone: contactPhone, filedBy: filedBy
        )
    }
}
