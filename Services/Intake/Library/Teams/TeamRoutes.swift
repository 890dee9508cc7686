import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// A team's roster and leader (`/v1/teams/{id}`): station staff add and remove members and
/// appoint the leader; every change is announced so matching can keep teams together.
struct TeamRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/teams/{id}") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
            let id = try context.requireUUID("id", what: "team")
            let team = try await dependencies.client.withConnection { connection in
                try await TeamStore(connection: connection, logger: dependencies.logger).detail(id, visibleTo: access)
            }
            guard let team, let area = AreaCode(team.area) else { throw ProblemDetails(status: .notFound, detail: "No such team.") }
            try Scope.requireVisible(access, area, what: "team")
            return try JSONResponse.make(team)
        }
        router.put("/v1/teams/{id}/members/{volunteerId}") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let volunteer = try context.requireUUID("volunteerId", what: "volunteer")
            let body = try await request.bodyBytes(context: context)
            return try await change(.join, access, request, context, volunteer: volunteer, body: body)
        }
        router.delete("/v1/teams/{id}/members/{volunteerId}") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let volunteer = try context.requireUUID("volunteerId", what: "volunteer")
            let body = try await request.bodyBytes(context: context)
            return try await change(.leave, access, request, context, volunteer: volunteer, body: body)
        }
        router.put("/v1/teams/{id}/leader") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let (form, raw) = try await request.readJSON(as: LeaderForm.self, context: context)
            return try await change(.lead, access, request, context, volunteer: try form.validated(), body: raw)
        }
    }

    /// Applies `action` to the team in the path in one transaction and answers with the team
    /// as it now is.
    private func change(
        _ action: TeamStore.MembershipAction, _ access: AccessToken, _ request: Request, _ context: ServiceRequestContext, volunteer: UUID,
        body: [UInt8]
    ) async throws -> Response {
        let team = try context.requireUUID("id", what: "team")
        return try await dependencies.writes.perform(request, context: context, body: body) { connection in
            let store = TeamStore(connection: connection, logger: dependencies.logger)
            return try StoredResponse(json: try await store.change(action, volunteer: volunteer, team: team, by: access))
        }
    }
}
