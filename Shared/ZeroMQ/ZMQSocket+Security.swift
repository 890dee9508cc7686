import CZeroMQ

/// CURVE and the limits a socket facing a hostile network needs.
///
/// Order matters: security options take effect for connections made after they are set,
/// so set them before `bind` or `connect`.
extension ZMQSocket {
    /// Makes this socket a CURVE server: every peer must complete a CURVE handshake, and
    /// libzmq asks the ZAP handler of this context (bound at `inproc://zeromq.zap.01`)
    /// whether the peer's public key is allowed. Start that handler before binding: on
    /// libzmq 4.3 a server without a running handler accepts every key.
    public func makeCurveServer(secretKey: String, zapDomain: String) throws(ZMQError) {
        try setOption(ZMQ_CURVE_SERVER, 1, name: "curve server")
        try setOption(ZMQ_CURVE_SECRETKEY, bytes: Array(secretKey.utf8), name: "curve secret key")
        try setOption(ZMQ_ZAP_DOMAIN, bytes: Array(zapDomain.utf8), name: "zap domain")
        // ZMQ_ZAP_ENFORCE_DOMAIN (93) is a draft option, but Debian's 4.3.4 accepts it: with it,
        // a handler that is missing refuses the client instead of letting it in. Older
        // builds refuse the option; the handler-first start order still protects them.
        try? setOption(93, 1, name: "zap enforce domain")
    }

    /// Makes this socket a CURVE client of the server whose public key is `serverKey`,
    /// proving itself with `keys`.
    public func makeCurveClient(serverKey: String, keys: ZMQCurveKeyPair) throws(ZMQError) {
        try setOption(ZMQ_CURVE_SERVERKEY, bytes: Array(serverKey.utf8), name: "curve server key")
        try setOption(ZMQ_CURVE_PUBLICKEY, bytes: Array(keys.publicKey.utf8), name: "curve public key")
        try setOption(ZMQ_CURVE_SECRETKEY, bytes: Array(keys.secretKey.utf8), name: "curve secret key")
    }

    /// How long a connection may take to complete its handshake before it is dropped (and,
    /// on a connecting socket, tried again).
    public func setHandshakeInterval(milliseconds: Int32) throws(ZMQError) {
        try setOption(ZMQ_HANDSHAKE_IVL, milliseconds, name: "handshake interval")
    }

    /// Drops a peer's connection when it sends a message (all frames) larger than `bytes`.
    public func setMaximumMessageSize(bytes: Int64) throws(ZMQError) {
        try setOption(ZMQ_MAXMSGSIZE, int64: bytes, name: "maximum message size")
    }

    /// XPUB: subscriptions reach the application and take effect only when it calls
    /// ``subscribe(_:)`` for them, for the peer whose subscription it read last.
    public func setManualSubscriptions(_ on: Bool) throws(ZMQError) {
        try setOption(ZMQ_XPUB_MANUAL, on ? 1 : 0, name: "xpub manual")
    }
}
