import Foundation
import Models

/// What joining, leaving or leading a team changes for one volunteer, decided without I/O.
///
/// Teams fight together (整团作战): matching keeps a team's members at one site, so who
/// belongs to which team, and who leads it, must stay consistent — a volunteer is in one
/// team at most, and a leader is always a member of the team they lead.
struct TeamMembership: Sendable, Equatable {
    /// The volunteer's team now, if any.
    var team: UUID?
    /// Whether the volunteer leads `team`.
    var leads: Bool
    var status: VolunteerStatus

    /// One consequence of a membership action, each announced on the bus.
    enum Change: Sendable, Equatable {
        case joined(UUID)
        case left(UUID, wasLeader: Bool)
        case leaderAppointed(UUID)
    }

    /// Joins `newTeam`, leaving the current team first. Joining one's own team again changes nothing.
    mutating func join(_ newTeam: UUID) throws(Refusal) -> [Change] {
        guard status != .withdrawn && status != .rejected else {
            throw Refusal("A \(status.rawValue) volunteer cannot join a team.")
        }
        guard team != newTeam else { return [] }
        var changes: [Change] = []
        if let current = team { changes.append(.left(current, wasLeader: leads)) }
        changes.append(.joined(newTeam))
        team = newTeam
        leads = false
        return changes
    }

    /// Leaves `oldTeam`; a leader who leaves leaves the team without a leader.
    mutating func leave(_ oldTeam: UUID) throws(Refusal) -> [Change] {
        guard team == oldTeam else { throw Refusal("The volunteer is not a member of this team.") }
        let change = Change.left(oldTeam, wasLeader: leads)
        team = nil
        leads = false
        return [change]
    }

    /// Makes the volunteer the leader of `ledTeam`, which they must already belong to.
    mutating func lead(_ ledTeam: UUID) throws(Refusal) -> [Change] {
        guard team == ledTeam else {
            throw Refusal("Only a member can lead the team; add the volunteer to the team first.")
        }
        guard status == .verified else {
            throw Refusal("A team leader must be a verified volunteer (this one is \(status.rawValue)).")
        }
        guard !leads else { return [] }
        leads = true
        return [.leaderAppointed(ledTeam)]
    }
}
