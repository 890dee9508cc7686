import Foundation
import Synchronization

/// Failed sign-ins, remembered for 15 minutes, so guessing is slowed where it happens and
/// nowhere else: five failures of one name from one address stop that pair, fifty of one name
/// from anywhere stop that name. Successful sign-ins cost nothing, so a station's staff behind
/// one office address are never locked out by each other, or by someone guessing other names.
///
/// Per replica, in memory, like the services' rate limits: N console replicas allow N times as
/// many guesses, still far too few to matter against a ten-character password.
final class SignInFailures: Sendable {
    struct Limits: Sendable {
        var perNameAndAddress = 5
        var perName = 50
        var window: TimeInterval = 15 * 60
        /// Entries kept at most; beyond, the expired go, then the oldest.
        var capacity = 100_000
    }

    let limits: Limits
    private let failures = Mutex<[String: (count: Int, since: Date)]>([:])

    init(limits: Limits = Limits()) { self.limits = limits }

    /// Whether `username` may try again from `address`.
    func allows(username: String, address: String, now: Date = Date()) -> Bool {
        failures.withLock { failures in
            count(failures, Self.pair(username, address), now) < limits.perNameAndAddress
                && count(failures, Self.name(username), now) < limits.perName
        }
    }

    func failed(username: String, address: String, now: Date = Date()) {
        failures.withLock { failures in
            for key in [Self.pair(username, address), Self.name(username)] {
                let current = count(failures, key, now)
                failures[key] = (current + 1, current == 0 ? now : failures[key]?.since ?? now)
            }
            if failures.count > limits.capacity {
                failures = failures.filter { now.timeIntervalSince($0.value.since) < limits.window }
                if failures.count > limits.capacity { failures.removeAll() }
            }
        }
    }

    /// A right password from `address` forgives that pair's failures (a typo, then the right one).
    func succeeded(username: String, address: String) {
        _ = failures.withLock { $0.removeValue(forKey: Self.pair(username, address)) }
    }

    private func count(_ failures: [String: (count: Int, since: Date)], _ key: String, _ now: Date) -> Int {
        guard let entry = failures[key], now.timeIntervalSince(entry.since) < limits.window else { return 0 }
        return entry.count
    }

    private static func pair(_ username: String, _ address: String) -> String { "pair\u{0}\(username.lowercased())\u{0}\(address)" }
    private static func name(_ username: String) -> String { "name\u{0}\(username.lowercased())" }
}
