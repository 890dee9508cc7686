/// What a caller does, which decides what they may read and change.
public enum AccessRole: String, Sendable, Codable, CaseIterable {
    /// A district or city operations centre: everything within its area.
    case `operator`
    /// Social-work station or street office staff: vetting, requests, within their area.
    case staff
    /// A dispatcher at a station: requests and their assignment, within their area.
    case dispatcher
    /// A caller (social worker or counselling volunteer) working outreach lists.
    case caller
    /// A sampling-point device posting testing check-ins.
    case device
    /// A volunteer on their phone, answering their own offers and shifts; the token's
    /// subject is their volunteer id.
    case volunteer
    /// An integrator reading the bus's event stream over HTTP (`GET /v1/events` on the bus);
    /// the token's subject names its bus key, whose grant decides what it reads. No service
    /// route admits it.
    case integrator
}
