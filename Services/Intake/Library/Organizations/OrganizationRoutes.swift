import Foundation
import Hummingbird
import Models
import ServiceKit

/// Social organizations, social-work stations and their teams (`/v1/organizations`,
/// `/v1/teams`), registered by staff and operators within their area, and the organizations
/// of that area listed for them to pick when publishing a call or forming a team.
struct OrganizationRoutes {
    let dependencies: ServiceDependencies

    struct Created: Codable {
        var id: UUID
    }

    func add(to router: Router<ServiceRequestContext>) {
        // Only the roles that may register or name an organization: a dispatcher or caller never needs to pick one.
        router.get("/v1/organizations") { request, _ in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let items = try await dependencies.client.withConnection { connection in
                try await OrganizationStore(connection: connection, logger: dependencies.logger).list(visibleTo: access)
            }
            return try JSONResponse.make(OrganizationStore.Listed(items: items))
        }
        router.post("/v1/organizations") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let (form, raw) = try await request.readJSON(as: OrganizationForm.self, context: context)
            let organization = try form.validated()
            try Scope.require(access, covers: organization.area)
            return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
                let id = try await OrganizationStore(connection: connection, logger: dependencies.logger).register(organization)
                return try StoredResponse(status: .created, json: Created(id: id))
            }
        }
        router.post("/v1/teams") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let (form, raw) = try await request.readJSON(as: TeamForm.self, context: context)
            let team = try form.validated()
            try Scope.require(access, covers: team.area)
            return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
                let id = try await OrganizationStore(connection: connection, logger: dependencies.logger).register(team, by: access)
                return try StoredResponse(status: .created, json: Created(id: id))
            }
        }
    }
}
