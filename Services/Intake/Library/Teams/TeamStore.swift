import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of teams, shared by the team routes and vetting: locks, membership changes with
/// their history and events, and the roster as a caller may see it.
///
/// Lock order, everywhere: the volunteer's row first, then teams by id. Two staff moving,
/// removing and appointing at once then queue instead of deadlocking.
struct TeamStore {
    let connection: PostgresConnection
    let logger: Logger

    struct LockedVolunteer {
        var community: AreaCode
        var team: UUID?
        var status: VolunteerStatus
    }

    struct LockedTeam {
        var area: AreaCode
        var leader: UUID?
    }

    struct Member: Codable {
        var id: UUID
        var name: String
        var mobile: String
        var community: String
        var status: String
        var skills: [String]
        var leader: Bool
    }

    /// A team's roster: the members the caller's area covers, and how many others there are.
    struct Detail: Codable {
        var id: UUID
        var name: String
        var area: String
        var organizationId: UUID?
        var leaderId: UUID?
        var members: [Member]
        var membersOutsideYourArea: Int
    }

    func lockVolunteer(_ id: UUID) async throws -> LockedVolunteer? {
        try await connection.query(
            "SELECT community, team_id, status FROM volunteers WHERE id = \(id) FOR NO KEY UPDATE", logger: logger
        ).decode((String, UUID?, String).self).collectAll().first.flatMap { row in
            AreaCode(row.0).map { LockedVolunteer(community: $0, team: row.1, status: VolunteerStatus(rawValue: row.2) ?? .pending) }
        }
    }

    func lockTeams(_ ids: [UUID]) async throws -> [UUID: LockedTeam] {
        var teams: [UUID: LockedTeam] = [:]
        for try await (id, area, leader) in try await connection.query(
            "SELECT id, area, leader_id FROM teams WHERE id = ANY(\(Array(Set(ids)))) ORDER BY id FOR NO KEY UPDATE", logger: logger
        ).decode((UUID, String, UUID?).self) {
            if let area = AreaCode(area) { teams[id] = LockedTeam(area: area, leader: leader) }
        }
        return teams
    }

    /// Applies one change (the volunteer and the teams already locked), with its history
    /// line and its event.
    func apply(_ change: TeamMembership.Change, volunteer: UUID, community: AreaCode, actor: String, previousLeader: UUID? = nil)
        async throws
    {
        let team: UUID
        let history: String
        let event: OutboxEvent
        switch change {
        case .joined(let joined):
            (team, history) = (joined, "team-joined")
            try await connection.query(
                "UPDATE volunteers SET team_id = \(joined), updated_at = now() WHERE id = \(volunteer)", logger: logger)
            event = IntakeEvents.team(IntakeEvents.teamMemberJoined, team: joined, volunteer: volunteer, community: community)
        case .left(let left, let wasLeader):
            (team, history) = (left, "team-left")
            try await connection.query(
                "UPDATE volunteers SET team_id = NULL, updated_at = now() WHERE id = \(volunteer) AND team_id = \(left)", logger: logger
            )
            if wasLeader { try await connection.query("UPDATE teams SET leader_id = NULL WHERE id = \(left)", logger: logger) }
            event = IntakeEvents.team(
                IntakeEvents.teamMemberLeft, team: left, volunteer: volunteer, community: community, extra: ["wasLeader": .bool(wasLeader)])
        case .leaderAppointed(let led):
            (team, history) = (led, "team-leader")
            try await connection.query("UPDATE teams SET leader_id = \(volunteer) WHERE id = \(led)", logger: logger)
            var extra: [String: JSONValue] = [:]
            if let previousLeader, previousLeader != volunteer {
                extra["previousLeaderId"] = .string(previousLeader.lowercasedString)
                try await record(previousLeader, action: "team-leader-replaced", team: led, actor: actor)
            }
            event = IntakeEvents.team(IntakeEvents.teamLeaderAppointed, team: led, volunteer: volunteer, community: community, extra: extra)
        }
        try await record(volunteer, action: history, team: team, actor: actor)
        try await Outbox.append(event, on: connection, logger: logger)
    }

    private func record(_ volunteer: UUID, action: String, team: UUID, actor: String) async throws {
        try await connection.query(
            """
            INSERT INTO volunteer_history (volunteer_id, action, status, reason, actor)
            SELECT id, \(action), status, \("team " + team.lowercasedString), \(actor) FROM volunteers WHERE id = \(volunteer)
            """,
            logger: logger
        )
    }

    /// The team with the members `access` covers (mobile numbers masked); the rest are
    /// only counted, as they are everywhere else outside one's area.
    func detail(_ id: UUID, visibleTo access: AccessToken) async throws -> Detail? {
        guard
            let (name, area, organization, leader) = try await connection.query(
                "SELECT name, area, organization_id, leader_id FROM teams WHERE id = \(id)", logger: logger
            ).decode((String, String, UUID?, UUID?).self).collectAll().first
        else { return nil }
        var members: [Member] = []
        var hidden = 0
        for try await (member, name, mobile, community, status, skills) in try await connection.query(
            "SELECT id, name, mobile, community, status, skills FROM volunteers WHERE team_id = \(id) ORDER BY seq", logger: logger
        ).decode((UUID, String, String, String, String, [String]).self) {
            guard let code = AreaCode(community), access.covers(code) else {
                hidden += 1
                continue
            }
            members.append(
                Member(
                    id: member, name: name, mobile: MobileNumber(mobile)?.masked ?? "***", community: community, status: status,
                    skills: skills,
                    leader: member == leader
                ))
        }
        return Detail(
            id: id, name: name, area: area, organizationId: organization, leaderId: leader, members: members, membersOutsideYourArea: hidden
        )
    }
}
