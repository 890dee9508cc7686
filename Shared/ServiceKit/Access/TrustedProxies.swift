import Foundation

/// The balancers whose `X-Forwarded-For` this replica believes (`SHOUWANG_TRUSTED_PROXIES`:
/// addresses and CIDR ranges, IPv4 or IPv6, separated by commas or spaces).
///
/// Why: behind a balancer every request's socket comes from the balancer, so rate limits
/// need the address it forwards — but a client reaching a replica directly can write any
/// `X-Forwarded-For` it likes. The header is followed only while each hop is trusted:
/// starting from the socket's peer, right to left, the first address that is not a trusted
/// proxy is the client. With no trusted proxies (the default) the peer is the client.
public struct TrustedProxies: Sendable, Equatable {
    /// An address range: the address's bytes (4 or 16) and how many leading bits must match.
    struct Network: Sendable, Equatable {
        var bytes: [UInt8]
        var prefixLength: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = prefixLength
            for (a, b) in zip(address, bytes) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if a & mask != b & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    let networks: [Network]

    /// No proxy is trusted: the socket's peer is the client.
    public static let none = TrustedProxies(networks: [])

    init(networks: [Network]) {
        self.networks = networks
    }

    /// Parses `10.0.0.0/8, 127.0.0.1 ::1 fd00::/8`; an empty text trusts nobody.
    public init(parsing text: String) throws(ConfigurationError) {
        var networks: [Network] = []
        for entry in text.split(whereSeparator: { $0 == "," || $0 == " " }) where !entry.isEmpty {
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.bytes(of: parts[0]) else {
                throw ConfigurationError("SHOUWANG_TRUSTED_PROXIES: '\(entry)' is not an IP address or CIDR range (e.g. 10.0.0.0/8, ::1)")
            }
            let maximum = bytes.count * 8
            let length = parts.count == 2 ? Int(parts[1]) : maximum
            guard let length, (0...maximum).contains(length) else {
                throw ConfigurationError("SHOUWANG_TRUSTED_PROXIES: '\(entry)' has a prefix length outside 0–\(maximum)")
            }
            networks.append(Network(bytes: bytes, prefixLength: length))
        }
        self.networks = networks
    }

    public func isTrusted(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address) else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The client behind `peer`, given the `X-Forwarded-For` values in the order received.
    public func clientAddress(peer: String, forwardedFor: [String]) -> String {
        // Every request passes here: with nobody trusted (the default) the header is not read.
        guard !networks.isEmpty else { return Self.normalised(peer) }
        var hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var current = Self.normalised(peer)
        while isTrusted(current), let next = hops.popLast() {
            // A trusted proxy always appends a real address; anything else means the chain
            // is broken here, and the last trusted hop is all that is known.
            guard Self.bytes(of: next) != nil else { return current }
            current = Self.normalised(next)
        }
        return current
    }

    /// The address's bytes; an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, how a dual-stack
    /// socket reports IPv4 peers) as its 4 IPv4 bytes.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }

    private static func normalised(_ text: String) -> String {
        let lower = text.lowercased()
        if lower.hasPrefix("::ffff:"), bytes(of: String(lower.dropFirst(7))) != nil { return String(lower.dropFirst(7)) }
        return text
    }
}
