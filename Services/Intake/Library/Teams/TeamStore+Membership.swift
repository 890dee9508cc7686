import Foundation
import Models
import ServiceKit

/// A change of a team's roster or leader, decided by ``TeamMembership`` and written here.
extension TeamStore {
    enum MembershipAction: Sendable {
        case join, leave, lead
    }

    /// Locks the volunteer, then the teams involved (one order everywhere: the volunteer,
    /// then teams by id), lets the membership rules decide, applies their changes with their
    /// events, and returns the team as it now is.
    func change(_ action: MembershipAction, volunteer: UUID, team teamID: UUID, by access: AccessToken) async throws -> Detail {
        guard let member = try await lockVolunteer(volunteer) else { throw NotFound("volunteer") }
        try Scope.requireVisible(access, member.community, what: "volunteer")
        let teams = try await lockTeams([teamID] + [member.team].compactMap { $0 })
        guard let target = teams[teamID] else { throw NotFound("team") }
        try Scope.requireVisible(access, target.area, what: "team")
        if action == .join && !target.area.contains(member.community) {
            throw InvalidFields([
                .init(
                    field: "volunteerId",
                    message: "the volunteer lives in \(member.community.rawValue), outside this team's area \(target.area.rawValue); "
                        + "teams recruit near home (就近就便)"
                )
            ])
        }
        if let current = member.team, current != teamID, let old = teams[current], !access.covers(old.area) {
            throw Refusal(
                "The volunteer belongs to a team of \(old.area.rawValue), outside your area; ask that station to release them first.",
                title: "In another team"
            )
        }
        let leads = member.team.flatMap { teams[$0]?.leader } == volunteer
        var membership = TeamMembership(team: member.team, leads: leads, status: member.status)
        let changes: [TeamMembership.Change]
        switch action {
        case .join: changes = try membership.join(teamID)
        case .leave: changes = try membership.leave(teamID)
        case .lead: changes = try membership.lead(teamID)
        }
        for change in changes {
            try await apply(change, volunteer: volunteer, community: member.community, actor: access.subject, previousLeader: target.leader)
        }
        guard let team = try await detail(teamID, visibleTo: access) else {
            throw NotFound("team")
        }
        return team
    }
}
