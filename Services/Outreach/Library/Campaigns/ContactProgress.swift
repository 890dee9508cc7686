import Foundation
import Models

/// One contact of a call campaign, from its first ring to its outcome.
///
/// No answer is tried again — up to three attempts in all, spaced out (two hours, then four),
/// since an elder may be asleep or out for a test; then the contact ends as unreachable and
/// shows up for a visit. A caller holds a contact for a lease; a caller who goes offline
/// loses it when the lease runs out, and it returns to the pool for anyone to take.
struct ContactProgress: Sendable, Equatable {
    enum Status: String, Sendable, Codable, CaseIterable {
        case pending, claimed, done
    }

    enum Outcome: String, Sendable, Codable, CaseIterable {
        case reachedWell = "reached-well"
        case reachedWithNeeds = "reached-with-needs"
        case noAnswer = "no-answer"
        case wrongNumber = "wrong-number"
        case needsEscalation = "needs-escalation"
    }

    static let maximumAttempts = 3
    /// Waits after the first and second unanswered attempts.
    static let retrySpacing: [Duration] = [.seconds(2 * 3600), .seconds(4 * 3600)]
    static let lease: Duration = .seconds(15 * 60)

    var status: Status = .pending
    var attempts = 0
    var nextAttemptAt: Date
    var claimedBy: String?
    var claimedUntil: Date?
    var outcome: Outcome?

    init(
        status: Status = .pending, attempts: Int = 0, nextAttemptAt: Date, claimedBy: String? = nil, claimedUntil: Date? = nil,
        outcome: Outcome? = nil
    ) {
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.claimedBy = claimedBy
        self.claimedUntil = claimedUntil
        self.outcome = outcome
    }

    /// Whether `caller` may take this contact now.
    func isAvailable(to caller: String, now: Date) -> Bool {
        switch status {
        case .pending: nextAttemptAt <= now
        case .claimed: claimedBy == caller || (claimedUntil.map { $0 <= now } ?? true)
        case .done: false
        }
    }

    mutating func claim(by caller: String, now: Date) throws(Refusal) {
        guard isAvailable(to: caller, now: now) else {
            throw Refusal(
                status == .done ? "This contact is finished." : "Another caller has this contact, or its next attempt is not due yet."
            )
        }
        status = .claimed
        claimedBy = caller
        claimedUntil = now.addingTimeInterval(Double(Self.lease.components.seconds))
    }

    /// Records one call by the caller holding the contact.
    mutating func record(_ result: Outcome, by caller: String, now: Date) throws(Refusal) {
        guard status == .claimed, claimedBy == caller, let until = claimedUntil, until > now else {
            throw Refusal("Take the contact (next) before recording a call; a lease lasts 15 minutes.")
        }
        attempts += 1
        claimedBy = nil
        claimedUntil = nil
        if result == .noAnswer && attempts < Self.maximumAttempts {
            status = .pending
            nextAttemptAt = now.addingTimeInterval(Double(Self.retrySpacing[attempts - 1].components.seconds))
            outcome = nil
        } else {
            status = .done
            outcome = result
        }
    }
}
