import Models

/// A stream's list of the topics it publishes: one `<Service>Events` enum per service holds
/// the topic constants and the builders of their events, and lists every topic here.
///
/// `docs/EVENTS.md` and the JSON schema of each topic's `data` (`docs/events.schema.json`)
/// are checked against these lists by a test, and every event the tests see emitted is
/// validated against its topic's schema, so the contract cannot drift from the code.
public protocol EventCatalogue {
    /// The stream: the first segment of every topic here (`intake`).
    static var stream: String { get }
    /// Every topic the stream publishes.
    static var topics: [Topic] { get }
}
