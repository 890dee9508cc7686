import Foundation
import Hummingbird
import Metrics
import Synchronization

/// A token bucket per caller for the public endpoints (volunteer sign-up, a resident's own
/// request, a notice's read receipt), so one script cannot flood a station's queue.
///
/// Callers are told apart by their bearer token when they send one (a station desk
/// registering 200 volunteers, a gateway) — each token its own, larger bucket — and
/// otherwise by ``ServiceRequestContext/clientAddress``, which trusts `X-Forwarded-For` only
/// from ``TrustedProxies``. A refusal is a 429 whose `Retry-After` says when the next
/// token arrives.
///
/// Per replica: N replicas allow N times the rate, which is the intent during a surge.
public final class RateLimiter: Sendable {
    /// How fast a bucket refills and how much it holds.
    public struct Allowance: Sendable, Equatable {
        public var perMinute: Int
        public var burst: Int
        public init(perMinute: Int, burst: Int) {
            self.perMinute = perMinute
            self.burst = burst
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let anonymous: Allowance
    private let authenticated: Allowance
    private let buckets = Mutex<[String: Bucket]>([:])
    private let refused = Counter(label: "shouwang_http_rate_limited_total")
    /// How many callers are remembered (memory stays bounded under a flood of addresses).
    private let capacity: Int
    /// A bucket untouched this long is full again: forgetting it changes nothing.
    private let refill: Duration

    /// `perMinute`/`burst` for each anonymous client address; a caller with a valid token
    /// gets `authenticated` (default ten times as much).
    public init(perMinute: Int, burst: Int, authenticated: Allowance? = nil, capacity: Int = 100_000) {
        self.anonymous = Allowance(perMinute: perMinute, burst: burst)
        self.authenticated = authenticated ?? Allowance(perMinute: perMinute * 10, burst: burst * 10)
        self.capacity = capacity
        self.refill = .milliseconds(
            [anonymous, self.authenticated].map { Int64((Double($0.burst) / (Double($0.perMinute) / 60) * 1000).rounded(.up)) }.max() ?? 0
        )
    }

    /// Takes one token for the caller, or throws 429 with `Retry-After`.
    /// - Parameter token: the caller's verified token, when the request carried one.
    public func admit(_ context: ServiceRequestContext, token: AccessToken? = nil) throws(ProblemDetails) {
        let key: String
        let allowance: Allowance
        if let token {
            key = "token \(token.subject)"
            allowance = authenticated
        } else {
            key = "address \(context.clientAddress ?? "unknown")"
            allowance = anonymous
        }
        if let wait = take(key, allowance, now: .now) {
            refused.increment()
            var problem = ProblemDetails(
                status: .tooManyRequests,
                detail: token == nil
                    ? "Too many requests from this address; try again in \(wait) s."
                    : "Too many requests with this token; try again in \(wait) s."
            )
            problem.retryAfterSeconds = wait
            throw problem
        }
    }

    /// Takes a token from `key`'s bucket; `nil` when there was one, else whole seconds
    /// until there will be.
    func take(_ key: String, _ allowance: Allowance, now: ContinuousClock.Instant) -> Int? {
        let rate = Double(allowance.perMinute) / 60
        let burst = Double(allowance.burst)
        return buckets.withLock { buckets -> Int? in
            if buckets[key] == nil, buckets.count >= capacity {
                // Forget the callers whose buckets have refilled; only if that is not enough
                // (a flood of fresh addresses) forget everyone, throttled callers included.
                let refill = self.refill
                buckets = buckets.filter { now - $0.value.updated < refill }
                if buckets[key] == nil, buckets.count >= capacity { buckets.removeAll() }
            }
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - bucket.updated
            bucket.tokens = min(
                burst, bucket.tokens + (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * rate)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}
