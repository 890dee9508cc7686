import Foundation
import Testing

@testable import ServiceKit

@Suite struct RateLimiterTests {
    @Test func aBucketRefillsAtItsRateAndARefusalSaysHowLongToWait() {
        let limiter = RateLimiter(perMinute: 30, burst: 2)
        let allowance = RateLimiter.Allowance(perMinute: 30, burst: 2)
        let start = ContinuousClock.now
        #expect(limiter.take("a", allowance, now: start) == nil)
        #expect(limiter.take("a", allowance, now: start) == nil)
        #expect(limiter.take("a", allowance, now: start) == 2, "30 a minute: one token every 2 s")
        #expect(limiter.take("b", allowance, now: start) == nil, "another caller has its own bucket")
        #expect(limiter.take("a", allowance, now: start + .milliseconds(1500)) == 1)
        #expect(limiter.take("a", allowance, now: start + .milliseconds(2100)) == nil)
    }
}
