/// One authentication question libzmq asks the ZAP handler (RFC 27, ZAP 1.0), for a peer
/// completing a CURVE handshake on a socket with a ZAP domain.
public struct ZAPRequest: Sendable, Equatable {
    /// Echoed in the reply so libzmq matches it to the handshake.
    public var requestId: [UInt8]
    public var domain: String
    /// The peer's address, e.g. `127.0.0.1` (for logs; never a grant by itself).
    public var address: String
    public var mechanism: String
    /// The peer's CURVE public key in Z85 text, when the mechanism is CURVE.
    public var publicKey: String?

    /// Parses the request frames: version, request id, domain, address, routing id,
    /// mechanism, credentials…; `nil` when they are not a ZAP 1.0 request.
    public init?(frames: ZMQFrames) {
        guard frames.count >= 6, frames[0] == Array("1.0".utf8) else { return nil }
        requestId = frames[1]
        domain = String(decoding: frames[2], as: UTF8.self)
        address = String(decoding: frames[3], as: UTF8.self)
        mechanism = String(decoding: frames[5], as: UTF8.self)
        publicKey = mechanism == "CURVE" && frames.count >= 7 ? ZMQCurveKeyPair.text(binaryKey: frames[6]) : nil
    }

    public init(requestId: [UInt8], domain: String, address: String, mechanism: String, publicKey: String?) {
        self.requestId = requestId
        self.domain = domain
        self.address = address
        self.mechanism = mechanism
        self.publicKey = publicKey
    }
}

/// The ZAP handler's answer: allow with a user id, which libzmq then attaches to every
/// message from that peer (``ZMQMessage/userId``), or refuse with a reason.
///
/// A refusal is sent as status 300, "temporary": libzmq 4.3 then drops the handshake
/// silently and the client tries again after its handshake interval, so a client whose key
/// is registered a moment after it starts (or a bus still loading its key list) gets in
/// without a restart. A 400 would make the client give up for good.
public enum ZAPDecision: Sendable, Equatable {
    case allow(userId: String)
    case refuse(reason: String)

    /// The reply frames for `request`: version, request id, status code, status text,
    /// user id, metadata.
    public func replyFrames(to request: ZAPRequest) -> ZMQFrames {
        switch self {
        case .allow(let userId): [Array("1.0".utf8), request.requestId, Array("200".utf8), Array("OK".utf8), Array(userId.utf8), []]
        case .refuse(let reason): [Array("1.0".utf8), request.requestId, Array("300".utf8), Array(reason.utf8.prefix(200)), [], []]
        }
    }
}
