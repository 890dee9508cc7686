import Foundation
import Models

/// A resident's request offered to volunteers one at a time, best candidate first.
///
/// Each offer lasts a few minutes; the volunteer accepts, declines, or lets it lapse, and
/// the next candidate gets it. Nobody within the window (15 minutes by default) → the
/// request is unassigned and escalated to the station's dispatcher. Only the volunteer
/// holding the current offer can accept it, and only while it lasts, so an offer is never
/// out with two people at once. A step the rules forbid throws a ``Refusal`` (answered 409).
struct OfferChain: Sendable, Equatable {
    enum Status: String, Sendable, Codable, CaseIterable {
        case offering, assigned, unassigned, completed, cancelled
    }

    /// What a transition means for the outside world.
    enum Effect: Sendable, Equatable {
        case offered(volunteer: UUID, until: Date)
        case assigned(volunteer: UUID)
        case unassigned(reason: String)
        case completed(volunteer: UUID, hours: Double)
        case cancelled
        /// Delivered before anyone held it (a station's run, a purchase): nothing left to offer.
        case fulfilled
    }

    var candidates: [UUID]
    var next = 0
    var status: Status = .offering
    var holder: UUID?
    var offerExpiresAt: Date?
    var deadline: Date
    var offerLength: TimeInterval

    init(
        candidates: [UUID], deadline: Date, offerLength: TimeInterval = 180, next: Int = 0, status: Status = .offering, holder: UUID? = nil,
        offerExpiresAt: Date? = nil
    ) {
        self.candidates = candidates
        self.deadline = deadline
        self.offerLength = offerLength
        self.next = next
        self.status = status
        self.holder = holder
        self.offerExpiresAt = offerExpiresAt
    }

    /// Makes the first offer (or gives up at once when nobody fits).
    mutating func start(now: Date) -> Effect {
        offerNext(now: now, reason: "no eligible volunteer nearby with the skill this request needs")
    }

    mutating func accept(by volunteer: UUID, now: Date) throws(Refusal) -> Effect {
        guard status == .offering, holder == volunteer, let until = offerExpiresAt, now < until else {
            throw Refusal(status == .offering ? "This offer is not yours, or it has lapsed." : "This request is \(status.rawValue).")
        }
        status = .assigned
        offerExpiresAt = nil
        return .assigned(volunteer: volunteer)
    }

    mutating func decline(by volunteer: UUID, now: Date) throws(Refusal) -> Effect {
        guard status == .offering, holder == volunteer else { throw Refusal("This offer is not yours to decline.") }
        return offerNext(now: now, reason: "every candidate declined or let the offer lapse")
    }

    /// Moves on when the current offer lapsed; `nil` when nothing is due yet.
    mutating func lapse(now: Date) -> Effect? {
        guard status == .offering, let until = offerExpiresAt, until <= now else { return nil }
        return offerNext(now: now, reason: "every candidate declined or let the offer lapse")
    }

    mutating func complete(by volunteer: UUID, hours: Double) throws(Refusal) -> Effect {
        if status == .completed && holder == volunteer {
            throw Refusal("This task is already completed (its delivery was recorded); the station records the hours worked.")
        }
        guard status == .assigned, holder == volunteer else { throw Refusal("Only the assigned volunteer completes the task.") }
        guard hours > 0, hours <= 24 else { throw Refusal("Hours worked are more than 0 and at most 24.") }
        status = .completed
        return .completed(volunteer: volunteer, hours: hours)
    }

    /// The holder was taken off duty (suspended, withdrawn, rejected): the offer they hold,
    /// or the task they were assigned and have not completed, goes to the next candidate.
    ///
    /// `replacements` are volunteers eligible now (the candidates fixed at the start may all
    /// have been tried); those already asked are not asked again. An assigned task re-offered
    /// gets a fresh window from `now`: it was served until a moment ago, and giving up on it
    /// at once would leave the resident to the dispatcher's desk for no reason of theirs.
    /// `nil` when the volunteer holds nothing here.
    mutating func withdraw(_ volunteer: UUID, now: Date, replacements: [UUID], window: TimeInterval) -> Effect? {
        guard holder == volunteer, status == .offering || status == .assigned else { return nil }
        let asked = Set(candidates)
        candidates += replacements.filter { $0 != volunteer && !asked.contains($0) }
        if status == .assigned { deadline = max(deadline, now.addingTimeInterval(window)) }
        status = .offering
        return offerNext(now: now, reason: "the volunteer holding it was taken off duty and nobody else nearby is available")
    }

    /// Supplies delivered the request's goods or purchase: the work is done. The volunteer
    /// holding the task completes it, with no hours reported (``DeliveryConsumer``: the
    /// station records the time worked as a correction); an offer still out, or a request
    /// with nobody on it, ends without a holder. `nil` when the dispatch already ended, so a
    /// second delivery of the same request changes nothing.
    mutating func deliver() -> Effect? {
        switch status {
        case .assigned:
            guard let volunteer = holder else { return nil }
            status = .completed
            return .completed(volunteer: volunteer, hours: 0)
        case .offering, .unassigned:
            status = .completed
            holder = nil
            offerExpiresAt = nil
            return .fulfilled
        case .completed, .cancelled:
            return nil
        }
    }

    /// The dispatcher offers an unassigned request again: `candidates` are those eligible
    /// now (someone may have come on duty, or back within reach, since the chain gave up),
    /// asked from the first with a fresh window from `now`, since the old one may long have
    /// run out. Still nobody → unassigned again at once, so the dispatcher sees it stands.
    /// Only an unassigned request: one still offering or held has someone on it already.
    mutating func reopen(candidates: [UUID], now: Date, window: TimeInterval) throws(Refusal) -> Effect {
        guard status == .unassigned else {
            throw Refusal("This request is \(status.rawValue); only an unassigned request can be offered again.")
        }
        self.candidates = candidates
        next = 0
        deadline = now.addingTimeInterval(window)
        status = .offering
        holder = nil
        offerExpiresAt = nil
        return offerNext(now: now, reason: "still no eligible volunteer nearby with the skill this request needs")
    }

    mutating func cancel() -> Effect? {
        guard status == .offering || status == .assigned || status == .unassigned else { return nil }
        status = .cancelled
        holder = nil
        offerExpiresAt = nil
        return .cancelled
    }

    private mutating func offerNext(now: Date, reason: String) -> Effect {
        guard next < candidates.count, now < deadline else {
            status = .unassigned
            holder = nil
            offerExpiresAt = nil
            return .unassigned(reason: now >= deadline ? "nobody accepted within the time allowed" : reason)
        }
        let volunteer = candidates[next]
        next += 1
        holder = volunteer
        let until = min(deadline, now.addingTimeInterval(offerLength))
        offerExpiresAt = until
        return .offered(volunteer: volunteer, until: until)
    }
}
