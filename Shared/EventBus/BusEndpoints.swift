/// Where the bus process listens (ARCHITECTURE.md, "Default endpoints").
public struct BusEndpoints: Sendable, Equatable {
    /// The proxy's XSUB side: relays connect their PUB sockets here.
    public var publish: String
    /// The proxy's XPUB side: subscribers connect their SUB sockets here.
    public var subscribe: String
    /// The replay ROUTER.
    public var replay: String
    /// This client's key and the bus's public key; `nil` only for a bus run without CURVE
    /// (`SHOUWANG_BUS_INSECURE=1`), which a secured bus refuses.
    public var credentials: BusCredentials?

    public init(
        publish: String = "tcp://127.0.0.1:5550",
        subscribe: String = "tcp://127.0.0.1:5551",
        replay: String = "tcp://127.0.0.1:5552",
        credentials: BusCredentials? = nil
    ) {
        self.publish = publish
        self.subscribe = subscribe
        self.replay = replay
        self.credentials = credentials
    }
}
