import Foundation
import Hummingbird
import Synchronization

/// A token bucket per client for the public endpoints (volunteer sign-up, a resident's own
/// request), so one script cannot flood a station's queue.
///
/// Per replica: N replicas allow N times the rate, which is the intent during a surge.
/// Clients are told apart by the last `X-Forwarded-For` entry — the one our own load
/// balancer appended; earlier entries are whatever the client wrote — or `X-Real-IP`.
/// Without a load balancer every client shares one bucket.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let perMinute: Double
    private let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(perMinute: Int, burst: Int) {
        self.perMinute = Double(perMinute)
        self.burst = Double(burst)
    }

    /// Takes one token for the request's client, or throws 429 with the wait in seconds.
    public func admit(_ request: Request) throws(ProblemDetails) {
        let client = request.headers[.init("X-Forwarded-For")!]?.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }
            ?? request.headers[.init("X-Real-IP")!] ?? "direct"
        let now = ContinuousClock.now
        let admitted = buckets.withLock { buckets -> Bool in
            if buckets.count > 100_000 { buckets.removeAll() }  // bounded memory under a flood of addresses
            var bucket = buckets[client] ?? Bucket(tokens: burst, updated: now)
            let elapsed = Double((now - bucket.updated).components.seconds) + Double((now - bucket.updated).components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + elapsed * perMinute / 60)
            bucket.updated = now
            let ok = bucket.tokens >= 1
            if ok { bucket.tokens -= 1 }
            buckets[client] = bucket
            return ok
        }
        guard admitted else {
            throw ProblemDetails(status: .tooManyRequests, detail: "Too many requests from this address; wait a minute and try again.")
        }
    }
}
