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

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/teams/{id}") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
            let id = try Self.id(context, "id", what: "team")
            let team = try await dependencies.client.withConnection { connection in
                try await TeamStore(connection: connection, logger: dependencies.logger).detail(id, visibleTo: access)
            }
            guard let team, let area = AreaCode(team.area) else {
                throw ProblemDetails(status: .notFound, detail: "No such team.")
            }
            try Scope.requireVisible(access, area, what: "team")
            return try JSONResponse.make(team)
        }
        router.put("/v1/teams/{id}/members/{volunteerId}") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let volunteer = try Self.id(context, "volunteerId", what: "volunteer")
            return try await change(.join, access, request, context, volunteer: volunteer, body: try await request.bodyBytes(context: context))
        }
        router.delete("/v1/teams/{id}/members/{volunteerId}") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let volunteer = try Self.id(context, "volunteerId", what: "volunteer")
            return try await change(.leave, access, request, context, volunteer: volunteer, body: try await request.bodyBytes(context: context))
        }
        router.put("/v1/teams/{id}/leader") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let (input, raw) = try await request.readJSON(as: LeaderInput.self, context: context)
            var validator = FieldValidator()
            let volunteer = validator.required(input.volunteerId, "volunteerId")
            try validator.check()
            return try await change(.lead, access, request, context, volunteer: volunteer!, body: raw)
        }
    }

    private static func id(_ context: ServiceRequestContext, _ name: String, what: String) throws(ProblemDetails) -> UUID {
        guard let id = context.parameters.get(name, as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such \(what).") }
        return id
    }

    /// Locks the volunteer, then the teams involved (one order everywhere: the volunteer,
    /// then teams by id), lets `action` decide, applies its changes and their events in one
    /// transaction, and answers with the team as it now is.
    private func change(
        _ action: Action, _ access: AccessToken, _ request: Request, _ context: ServiceRequestContext, volunteer: UUID, body: [UInt8]
    ) async throws -> Response {
        let teamID = try Self.id(context, "id", what: "team")
        return try await dependencies.writes.perform(request, context: context, body: body) { connection in
            let store = TeamStore(connection: connection, logger: dependencies.logger)
            guard let member = try await store.lockVolunteer(volunteer) else { throw ProblemDetails(status: .notFound, detail: "No such volunteer.") }
            try Scope.requireVisible(access, member.community, what: "volunteer")
            let teams = try await store.lockTeams([teamID] + [member.team].compactMap { $0 })
            guard let target = teams[teamID] else { throw ProblemDetails(status: .notFound, detail: "No such team.") }
            try Scope.requireVisible(access, target.area, what: "team")
            if action == .join && !target.area.contains(member.community) {
                throw ProblemDetails.validation([
                    .init(field: "volunteerId", message: "the volunteer lives in \(member.community.rawValue), outside this team's area \(target.area.rawValue); teams recruit near home (就近就便)")
                ])
            }
            if let current = member.team, current != teamID, let old = teams[current], !access.covers(old.area) {
                throw ProblemDetails(
                    status: .conflict, title: "In another team",
                    detail: "The volunteer belongs to a team of \(old.area.rawValue), outside your area; ask that station to release them first."
                )
            }
            let leads = member.team.flatMap { teams[$0]?.leader } == volunteer
            var membership = TeamMembership(team: member.team, leads: leads, status: member.status)
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
                try await store.apply(change, volunteer: volunteer, community: member.community, actor: access.subject, previousLeader: target.leader)
            }
            guard let team = try await store.detail(teamID, visibleTo: access) else { throw ProblemDetails(status: .notFound, detail: "No such team.") }
            return try StoredResponse(json: team)
        }
    }
}
