import ZeroMQ

/// How a bus client proves who it is: its own key pair, and the bus server's public key so
/// it knows it talks to the real bus. Secret keys come from an environment variable or a
/// file (``BusKeyFile``), never from the database.
public struct BusCredentials: Sendable, Equatable {
    /// The bus's public key (`SHOUWANG_BUS_SERVER_KEY`).
    public var serverKey: String
    public var keys: ZMQCurveKeyPair

    public init(serverKey: String, keys: ZMQCurveKeyPair) {
        self.serverKey = serverKey
        self.keys = keys
    }
}

/// The bus server's own key and the ZAP domain of its sockets.
public struct BusServerSecurity: Sendable, Equatable {
    /// The bus's three sockets, each with a ZAP domain of its own, so the handshake already
    /// refuses a role that has no business there.
    public enum Socket: String, Sendable {
        case publish = "shouwang.publish"
        case subscribe = "shouwang.subscribe"
        case replay = "shouwang.replay"

        public func admits(_ role: BusKeyGrant.Role) -> Bool {
            switch self {
            case .publish: role != .integrator
            case .subscribe: role != .publisher
            // Publishers may ping (readiness); anything they ask to read is refused by grant.
            case .replay: true
            }
        }
    }
    /// A client that has not completed its handshake by then is dropped.
    public static let handshakeMilliseconds: Int32 = 5000
    public var keys: ZMQCurveKeyPair

    public init(keys: ZMQCurveKeyPair) {
        self.keys = keys
    }
}

extension ZMQSocket {
    /// Applies `credentials` before `connect`; without them the socket speaks plain ZMTP,
    /// which a secured bus refuses.
    func authenticate(with credentials: BusCredentials?) throws(ZMQError) {
        guard let credentials else { return }
        try makeCurveClient(serverKey: credentials.serverKey, keys: credentials.keys)
        // A refused handshake (unknown key, key list still loading) is retried after this.
        try setHandshakeInterval(milliseconds: 2000)
    }
}
