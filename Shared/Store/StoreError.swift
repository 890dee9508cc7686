/// A storage failure with a message an operator can act on.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure, for code that reacts to it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public static let configuration = Code(name: "configuration")
        public static let unreachable = Code(name: "unreachable")
        public static let migration = Code(name: "migration")
        public static let corrupt = Code(name: "corrupt")
        public var description: String { name }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
