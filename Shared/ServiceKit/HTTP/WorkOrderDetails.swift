import Models

/// What a request says beyond its category: the drug and dose of a medicine run, a note.
/// Intake files it and outreach finds it, so both check it the same way.
public struct WorkOrderDetails: Codable, Sendable {
    public var drugName: String?
    public var dose: String?
    public var note: String?
}

extension FieldValidator {
    /// Checks `details` (under `details/…`) for a request of `category` and returns them as
    /// JSON; a medicine run needs the drug and dose confirmed before anyone buys anything.
    public mutating func workOrderDetails(_ details: WorkOrderDetails?, category: WorkOrderCategory?) -> [String: JSONValue] {
        var checked: [String: JSONValue] = [:]
        if let drug = text(details?.drugName, "details/drugName", maxLength: 100, optional: true) { checked["drugName"] = .string(drug) }
        if let dose = text(details?.dose, "details/dose", maxLength: 100, optional: true) { checked["dose"] = .string(dose) }
        if let note = text(details?.note, "details/note", maxLength: 1000, optional: true) { checked["note"] = .string(note) }
        if category == .medicine {
            if checked["drugName"] == nil { fail("details/drugName", "is required for medicine") }
            if checked["dose"] == nil { fail("details/dose", "is required for medicine") }
        }
        return checked
    }
}
