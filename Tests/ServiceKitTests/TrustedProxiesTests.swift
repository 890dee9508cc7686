import Foundation
import Testing

@testable import ServiceKit

extension RateLimiterTests {
    @Test func whenFullItForgetsRefilledCallersNotThrottledOnes() {
        let limiter = RateLimiter(perMinute: 30, burst: 2, capacity: 3)
        let allowance = RateLimiter.Allowance(perMinute: 30, burst: 2)
        let start = ContinuousClock.now
        #expect(limiter.take("idle", allowance, now: start) == nil)
        let later = start + .seconds(60)  // "idle" refilled long ago (both allowances refill in 4 s)
        #expect(limiter.take("noisy", allowance, now: later) == nil)
        #expect(limiter.take("noisy", allowance, now: later) == nil)
        #expect(limiter.take("noisy", allowance, now: later) != nil)
        #expect(limiter.take("new", allowance, now: later) == nil, "the third caller fills the limiter; \"idle\" is forgotten")
        #expect(limiter.take("newer", allowance, now: later) == nil)
        #expect(limiter.take("noisy", allowance, now: later) != nil, "a throttled caller stays throttled")
    }
}

@Suite struct TrustedProxiesTests {
    static let balancers = try! TrustedProxies(parsing: "10.0.0.0/8, 127.0.0.1 fd00::/8")

    @Test func withNoTrustedProxyThePeerIsTheClientWhateverTheHeaderSays() {
        #expect(TrustedProxies.none.clientAddress(peer: "203.0.113.5", forwardedFor: ["1.2.3.4"]) == "203.0.113.5")
        #expect(
            Self.balancers.clientAddress(peer: "203.0.113.5", forwardedFor: ["1.2.3.4"]) == "203.0.113.5",
            "an untrusted peer's header is ignored")
    }

    @Test func theHeaderIsFollowedRightToLeftOnlyThroughTrustedHops() {
        // Client wrote "6.6.6.6"; the edge balancer appended the client's real address; an inner one appended the edge's.
        #expect(Self.balancers.clientAddress(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 198.51.100.4, 10.1.2.3"]) == "198.51.100.4")
        // Several header lines count as one list, in order.
        #expect(Self.balancers.clientAddress(peer: "10.0.0.9", forwardedFor: ["6.6.6.6", "198.51.100.4"]) == "198.51.100.4")
        // Every hop trusted: the leftmost is the best there is.
        #expect(Self.balancers.clientAddress(peer: "10.0.0.9", forwardedFor: ["10.0.0.1"]) == "10.0.0.1")
        // A trusted peer with no header: the peer.
        #expect(Self.balancers.clientAddress(peer: "10.0.0.9", forwardedFor: []) == "10.0.0.9")
        // Garbage where a trusted hop should have written an address: stop at that hop.
        #expect(Self.balancers.clientAddress(peer: "10.0.0.9", forwardedFor: ["1.2.3.4, not-an-address"]) == "10.0.0.9")
    }

    @Test func rangesMatchByPrefixForBothFamiliesAndMappedAddressesCountAsIPv4() {
        #expect(Self.balancers.isTrusted("10.255.1.1"))
        #expect(!Self.balancers.isTrusted("11.0.0.1"))
        #expect(Self.balancers.isTrusted("::ffff:10.0.0.1"))
        #expect(Self.balancers.isTrusted("fd12:3456::1"))
        #expect(!Self.balancers.isTrusted("fe80::1"))
        #expect(!Self.balancers.isTrusted("127.0.0.2"), "a bare address is a /32")
        let odd = try! TrustedProxies(parsing: "192.168.1.128/25")
        #expect(odd.isTrusted("192.168.1.200") && !odd.isTrusted("192.168.1.100"))
        #expect(Self.balancers.clientAddress(peer: "::ffff:127.0.0.1", forwardedFor: ["198.51.100.4"]) == "198.51.100.4")
    }

    @Test func aBadEntryIsRefusedNamingIt() {
        #expect(throws: ConfigurationError.self) { try TrustedProxies(parsing: "10.0.0.0/33") }
        #expect(throws: ConfigurationError.self) { try TrustedProxies(parsing: "balancer.local") }
        #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration.fromEnvironment(defaultHTTPPort: 1, environment: ["SHOUWANG_TRUSTED_PROXIES": "10.0.0.1/x"])
        }
        #expect((try? TrustedProxies(parsing: " ")) == TrustedProxies.none)
    }
}
