import EventBus
import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// A team's roster and leader (`/v1/teams/{id}`): station staff add and remove members and
/// appoint the leader; every change is announced so matching can keep teams together.
struct TeamRoutes {
    let dependencies: ServiceDependencies

    enum Action { case join, leave, lead }

    struct LeaderInput: Decodable {
        var volunteerId: UUID?
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

    struct Detail: Codable {
        var id: UUID
        var name: String
        var area: String
        var organizationId: UUID?
        var leaderId: UUID?
        var members: [Member]
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/teams/{id}") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
            let id = try Self.id(context, "id", what: "team")
            let team = try await dependencies.client.withConnection { connection in try await detail(id, on: connection) }
            guard let team, let area = AreaCode(team.area) else {
                throw ProblemDetails(status: .notFound, detail: "No such team.")
            }
            try Scope.requireVisible(access, area, what: "team")
            return try JSONResponse.make(team)
        }
        router.put("/v1/teams/{id}/members/{volunteerId}") { request, context in
            try await change(.join, request, context, volunteer: try Self.id(context, "volunteerId", what: "volunteer"), body: try await request.bodyBytes(context: context))
        }
        router.delete("/v1/teams/{id}/members/{volunteerId}") { request, context in
            try await change(.leave, request, context, volunteer: try Self.id(context, "volunteerId", what: "volunteer"), body: try await request.bodyBytes(context: context))
        }
        router.put("/v1/teams/{id}/leader") { request, context in
            let (input, raw) = try await request.readJSON(as: LeaderInput.self, context: context)
            var validator = FieldValidator()
            let volunteer = validator.required(input.volunteerId, "volunteerId")
            try validator.check()
            return try await change(.lead, request, context, volunteer: volunteer!, body: raw)
        }
    }

    private static func id(_ context: BasicRequestContext, _ name: String, what: String) throws(ProblemDetails) -> UUID {
        guard let id = context.parameters.get(name, as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such \(what).") }
        return id
    }

    /// Locks the team and the volunteer, lets `action` decide, applies its changes and their
    /// events in one transaction, and answers with the team as it now is.
    private func change(_ action: Action, _ request: Request, _ context: BasicRequestContext, volunteer: UUID, body: [UInt8]) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let teamID = try Self.id(context, "id", what: "team")
        return try await dependencies.writes.perform(request, body: body) { connection in
            let logger = dependencies.logger
            guard let (teamAreaText, leader) = try await connection.query(
                "SELECT area, leader_id FROM teams WHERE id = \(teamID) FOR UPDATE", logger: logger
            ).decode((String, UUID?).self).collectAll().first, let teamArea = AreaCode(teamAreaText) else {
                throw ProblemDetails(status: .notFound, detail: "No such team.")
            }
            try Scope.requireVisible(access, teamArea, what: "team")
            guard let (communityText, currentTeam, statusText) = try await connection.query(
                "SELECT community, team_id, status FROM volunteers WHERE id = \(volunteer) FOR UPDATE", logger: logger
            ).decode((String, UUID?, String).self).collectAll().first, let community = AreaCode(communityText) else {
                throw ProblemDetails(status: .notFound, detail: "No such volunteer.")
            }
            try Scope.requireVisible(access, community, what: "volunteer")
            guard community.district == teamArea.district else {
                throw ProblemDetails.validation([
                    .init(field: "volunteerId", message: "the volunteer lives in district \(community.district.rawValue); a team of district \(teamArea.district.rawValue) recruits near home (就近就便)")
                ])
            }
            let leads: Bool
            if currentTeam == teamID {
                leads = leader == volunteer
            } else if let currentTeam {
                leads = try await connection.query(
                    "SELECT 1 FROM teams WHERE id = \(currentTeam) AND leader_id = \(volunteer) FOR UPDATE", logger: logger
                ).collect().count == 1
            } else {
                leads = false
            }
            var membership = TeamMembership(team: currentTeam, leads: leads, status: VolunteerStatus(rawValue: statusText) ?? .pending)
            let changes: [TeamMembership.Change]
            do throws(TeamMembership.Refusal) {
                switch action {
                case .join: changes = try membership.join(teamID)
                case .leave: changes = try membership.leave(teamID)
                case .lead: changes = try membership.lead(teamID)
                }
            } catch let refusal {
                throw ProblemDetails(status: .conflict, title: "Not possible now", detail: refusal.description)
            }
            for change in changes {
                try await apply(change, volunteer: volunteer, community: community, actor: access.subject, on: connection)
            }
            guard let team = try await detail(teamID, on: connection) else { throw ProblemDetails(status: .notFound, detail: "No such team.") }
            return try StoredResponse(json: team)
        }
    }

    private func apply(_ change: TeamMembership.Change, volunteer: UUID, community: AreaCode, actor: String, on connection: PostgresConnection) async throws {
        let logger = dependencies.logger
        let team: UUID, history: String, event: OutboxEvent
        switch change {
        case .joined(let joined):
            (team, history) = (joined, "team-joined")
            try await connection.query("UPDATE volunteers SET team_id = \(joined), updated_at = now() WHERE id = \(volunteer)", logger: logger)
            event = IntakeEvents.team("intake.team.member-joined", team: joined, volunteer: volunteer, community: community)
        case .left(let left, let wasLeader):
            (team, history) = (left, "team-left")
            try await connection.query(
                "UPDATE volunteers SET team_id = NULL, updated_at = now() WHERE id = \(volunteer) AND team_id = \(left)", logger: logger
            )
            if wasLeader { try await connection.query("UPDATE teams SET leader_id = NULL WHERE id = \(left)", logger: logger) }
            event = IntakeEvents.team("intake.team.member-left", team: left, volunteer: volunteer, community: community, extra: ["wasLeader": .bool(wasLeader)])
        case .leaderAppointed(let led):
            (team, history) = (led, "team-leader")
            try await connection.query("UPDATE teams SET leader_id = \(volunteer) WHERE id = \(led)", logger: logger)
            event = IntakeEvents.team("intake.team.leader-appointed", team: led, volunteer: volunteer, community: community)
        }
        try await connection.query(
            """
            INSERT INTO volunteer_history (volunteer_id, action, status, reason, actor)
            SELECT id, \(history), status, \("team " + team.uuidString.lowercased()), \(actor) FROM volunteers WHERE id = \(volunteer)
            """,
            logger: logger
        )
        try await Outbox.append(event, on: connection, logger: logger)
    }

    /// The team with its members, mobile numbers masked.
    private func detail(_ id: UUID, on connection: PostgresConnection) async throws -> Detail? {
        let logger = dependencies.logger
        guard let (name, area, organization, leader) = try await connection.query(
            "SELECT name, area, organization_id, leader_id FROM teams WHERE id = \(id)", logger: logger
        ).decode((String, String, UUID?, UUID?).self).collectAll().first else { return nil }
        var members: [Member] = []
        for try await (member, name, mobile, community, status, skills) in try await connection.query(
            "SELECT id, name, mobile, community, status, skills FROM volunteers WHERE team_id = \(id) ORDER BY seq", logger: logger
        ).decode((UUID, String, String, String, String, [String]).self) {
            members.append(Member(
                id: member, name: name, mobile: MobileNumber(mobile)?.masked ?? "***", community: community, status: status, skills: skills,
                leader: member == leader
            ))
        }
        return Detail(id: id, name: name, area: area, organizationId: organization, leaderId: leader, members: members)
    }
}
