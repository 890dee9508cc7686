import Foundation

extension UUID {
    /// The id as every Shouwang text spells it — on the bus, in JSON answers, in paths:
    /// lowercase, so an integrator can join API answers and events as plain strings
    /// (Foundation's `uuidString` is uppercase).
    public var lowercasedString: String { uuidString.lowercased() }
}
