import Synchronization

/// Collects what concurrent callbacks hand over, for a test to inspect afterwards.
public final class Recorder<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])

    public init() {}

    public func append(contentsOf elements: [Element]) {
        items.withLock { $0 += elements }
    }

    public var all: [Element] { items.withLock { $0 } }
    public var count: Int { items.withLock { $0.count } }
}
