/// A rule of the domain says no to an action, now: an offer that is not the caller's, a
/// volunteer who is not fit for duty, more units than the shelf holds.
///
/// State machines and stores throw it (typed: `throws(Refusal)`) and know nothing of HTTP;
/// the services' problem middleware answers every one as 409 with `description` as the
/// detail, in one place, so no handler maps it again. Write `description` for the person
/// who will read it: what stands in the way and, where there is one, what to do instead.
public protocol DomainRefusal: Error, Sendable, CustomStringConvertible {
    /// The problem's short title.
    var title: String { get }
}

extension DomainRefusal {
    public var title: String { "Not possible now" }
}

/// The refusal of the domain's state machines (vetting, teams, offers, contacts, stock).
public struct Refusal: DomainRefusal, Equatable {
    public var description: String
    public var title: String

    public init(_ description: String, title: String = "Not possible now") {
        self.description = description
        self.title = title
    }
}
