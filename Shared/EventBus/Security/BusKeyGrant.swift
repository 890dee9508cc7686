/// What a bus key may do, as the allow-list in PostgreSQL (`bus_keys`) records it.
///
/// - A **publisher** key (a stream's relays, tools like `publish-test`) may publish the
///   topics of its stream and nothing else; it reads nothing.
/// - A **service** key (a Shouwang service: its relay and its consumers) may publish its
///   stream's topics and read the prefixes granted to it.
/// - An **integrator** key reads the prefixes granted to it and never publishes.
///
/// Reading covers the live subscription (XPUB) and replay alike. A granted prefix `intake.`
/// allows subscribing to `intake.` or anything under it (`intake.request.`), never to a
/// shorter prefix that would also match other streams; the empty prefix grants everything.
public struct BusKeyGrant: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable {
        case publisher, service, integrator
    }

    /// Unique name; the ZAP handler gives it to libzmq as the connection's user id.
    public var name: String
    public var publicKey: String
    public var role: Role
    /// The stream whose topics this key may publish (`nil` for integrators).
    public var stream: String?
    /// Topic prefixes this key may read.
    public var prefixes: [String]

    public init(name: String, publicKey: String, role: Role, stream: String?, prefixes: [String]) {
        self.name = name
        self.publicKey = publicKey
        self.role = role
        self.stream = stream
        self.prefixes = prefixes
    }

    /// Whether a message on `topic` (its first frame) from this key may be forwarded.
    public func mayPublish(topic: [UInt8]) -> Bool {
        guard role != .integrator, let stream else { return false }
        let streamBytes = stream.utf8
        guard topic.count > streamBytes.count, topic[streamBytes.count] == UInt8(ascii: ".") else { return false }
        return topic.starts(with: streamBytes)
    }

    /// Whether this key may subscribe to, or replay, `prefix` (a topic counts as a prefix).
    public func mayRead(prefix: String) -> Bool {
        guard role != .publisher else { return false }
        return prefixes.contains { prefix.hasPrefix($0) }
    }
}
