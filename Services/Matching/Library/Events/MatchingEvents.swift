import EventBus
import Foundation
import Models

/// The events matching announces: rosters planned, shifts filled, short, given up and
/// worked, and each step of a request's dispatch. Data carries ids, codes and counts only;
/// the fields of each topic are documented in docs/EVENTS.md.
enum MatchingEvents: EventCatalogue {
    static let stream = "matching"

    static let rosterPlanned: Topic = "matching.roster.planned"
    static let shiftAssigned: Topic = "matching.shift.assigned"
    static let shiftShortage: Topic = "matching.shift.shortage"
    static let shiftUnassigned: Topic = "matching.shift.unassigned"
    static let shiftWorked: Topic = "matching.shift.worked"
    static let requestOffered: Topic = "matching.request.offered"
    static let requestAssigned: Topic = "matching.request.assigned"
    static let requestUnassigned: Topic = "matching.request.unassigned"
    static let taskCompleted: Topic = "matching.task.completed"
    static let requestReleased: Topic = "matching.request.released"

    static let topics: [Topic] = [
        rosterPlanned, shiftAssigned, shiftShortage, shiftUnassigned, shiftWorked,
        requestOffered, requestAssigned, requestUnassigned, taskCompleted, requestReleased,
    ]
}

// MARK: - Rosters

extension MatchingEvents {
    /// An area's open shifts were planned (`POST /v1/rosters:plan`, or a refill).
    static func rosterPlanned(plan: UUID, area: AreaCode, from: Date, to: Date, solution: RosterSolution) -> OutboxEvent {
        OutboxEvent(
            topic: rosterPlanned, key: plan.lowercasedString, area: area.rawValue,
            data: .object([
                "planId": .string(plan.lowercasedString), "area": .string(area.rawValue), "from": .string(Timestamp.format(from)),
                "to": .string(Timestamp.format(to)), "filled": .number(Double(solution.filledSlots)),
                "slots": .number(Double(solution.totalSlots)), "objective": .number(Double(solution.objective)),
            ])
        )
    }

    /// A volunteer was rostered on `shift` (the key is the shift).
    static func shiftAssigned(_ shift: UUID, volunteer: UUID, plan: UUID, details: Shift?) -> OutboxEvent {
        OutboxEvent(
            topic: shiftAssigned, key: shift.lowercasedString, area: details?.area,
            data: .object([
                "shiftId": .string(shift.lowercasedString), "volunteerId": .string(volunteer.lowercasedString),
                "planId": .string(plan.lowercasedString), "startsAt": .string(details.map { Timestamp.format($0.start) } ?? ""),
                "endsAt": .string(details.map { Timestamp.format($0.end) } ?? ""),
            ])
        )
    }

    /// `shift` could not be filled: a recruitment call for exactly this gap.
    static func shiftShortage(_ shift: Shift, unfilled: UnfilledSlots, plan: UUID) -> OutboxEvent {
        OutboxEvent(
            topic: shiftShortage, key: unfilled.shiftId, area: shift.area,
            data: .object([
                "shiftId": .string(unfilled.shiftId), "postId": .string(shift.postId), "area": .string(shift.area),
                "role": .string(shift.role), "requiredSkills": .array(shift.requiredSkills.map(JSONValue.string)),
                "startsAt": .string(Timestamp.format(shift.start)), "endsAt": .string(Timestamp.format(shift.end)),
                "unfilled": .number(Double(unfilled.count)), "cause": .string(unfilled.cause.rawValue),
                "reason": .string(unfilled.reason), "planId": .string(plan.lowercasedString),
            ])
        )
    }

    /// A volunteer came off a future shift (suspended, withdrew, rejected).
    static func shiftUnassigned(_ shift: UUID, area: String, volunteer: UUID, reason: String) -> OutboxEvent {
        OutboxEvent(
            topic: shiftUnassigned, key: shift.lowercasedString, area: area,
            data: .object([
                "shiftId": .string(shift.lowercasedString), "volunteerId": .string(volunteer.lowercasedString),
                "reason": .string(reason),
            ])
        )
    }

    /// A volunteer checked out of a shift; its hours are in the ledger.
    static func shiftWorked(assignment: UUID, area: String, volunteer: UUID, hours: Double) -> OutboxEvent {
        OutboxEvent(
            topic: shiftWorked, key: assignment.lowercasedString, area: area,
            data: .object([
                "assignmentId": .string(assignment.lowercasedString), "volunteerId": .string(volunteer.lowercasedString),
                "hours": .number(hours),
            ])
        )
    }
}

// MARK: - Dispatch

extension MatchingEvents {
    /// What one step of a request's ``OfferChain`` tells the world (the key is the request).
    static func dispatch(_ effect: OfferChain.Effect, request: UUID, compound: String) -> OutboxEvent {
        var data: [String: JSONValue] = ["requestId": .string(request.lowercasedString), "compound": .string(compound)]
        let topic: Topic
        switch effect {
        case .offered(let who, let until):
            topic = requestOffered
            data["volunteerId"] = .string(who.lowercasedString)
            data["until"] = .string(Timestamp.format(until))
        case .assigned(let who):
            topic = requestAssigned
            data["volunteerId"] = .string(who.lowercasedString)
        case .unassigned(let reason):
            topic = requestUnassigned
            data["reason"] = .string(reason)
        case .completed(let who, let hours):
            topic = taskCompleted
            data["volunteerId"] = .string(who.lowercasedString)
            data["hours"] = .number(hours)
        case .cancelled, .fulfilled:
            topic = requestReleased
        }
        return OutboxEvent(topic: topic, key: request.lowercasedString, area: compound, data: .object(data))
    }
}
