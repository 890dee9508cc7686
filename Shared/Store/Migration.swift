/// One versioned change to the schema, owned by one component (`core`, `intake`…).
///
/// Statements run in order inside one transaction, so a migration is applied whole or not
/// at all. Never edit a migration that has shipped: add the next version.
public struct Migration: Sendable {
    public let component: String
    public let version: Int
    public let name: String
    public let statements: [String]

    public init(component: String, version: Int, name: String, statements: [String]) {
        self.component = component
        self.version = version
        self.name = name
        self.statements = statements
    }
}
