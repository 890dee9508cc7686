/// A snapshot of the active bus keys, looked up by public key (at the ZAP handshake) and
/// by name (per message, where libzmq hands over the user id the handshake gave).
///
/// A plain value: the bus reloads it from PostgreSQL every few seconds and swaps it in
/// whole, so a revoked key stops working within one reload on every bus process.
public struct BusKeyRing: Sendable, Equatable {
    public private(set) var byName: [String: BusKeyGrant] = [:]
    private var byPublicKey: [String: String] = [:]

    public init(_ grants: [BusKeyGrant] = []) {
        for grant in grants {
            byName[grant.name] = grant
            byPublicKey[grant.publicKey] = grant.name
        }
    }

    /// The grant of a connection's user id.
    public subscript(name name: String?) -> BusKeyGrant? {
        guard let name else { return nil }
        return byName[name]
    }

    /// The grant of the key a peer presents at its handshake.
    public subscript(publicKey publicKey: String?) -> BusKeyGrant? {
        guard let publicKey, let name = byPublicKey[publicKey] else { return nil }
        return byName[name]
    }

    /// Names in `self` whose key is gone or changed in `next`: connections made with them
    /// must be cut, not only refused from now on.
    public func withdrawn(in next: BusKeyRing) -> Set<String> {
        Set(byName.compactMap { name, grant in next.byName[name] == grant ? nil : name })
    }
}
