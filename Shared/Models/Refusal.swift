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

/// The record a request names does not exist, or is not the caller's to know of (outside
/// their area): stores throw it, the problem middleware answers 404 "No such `what`.".
public struct NotFound: Error, Sendable, Equatable, CustomStringConvertible {
    public var what: String

    public init(_ what: String) { self.what = what }

    public var description: String { "No such \(what)." }
}

/// Values of a request that the stored state refuses — a reference to nothing in the
/// caller's area, a site outside its round, a sign-up outside its district: stores throw
/// it, the problem middleware answers 422 naming each field, as the forms' own checks do.
public struct InvalidFields: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Field: Sendable, Equatable {
        public var field: String
        public var message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public var fields: [Field]

    public init(_ fields: [Field]) { self.fields = fields }

    public init(_ field: String, _ message: String) { self.fields = [Field(field: field, message: message)] }

    public var description: String { fields.map { "\($0.field): \($0.message)" }.joined(separator: "; ") }
}
