import Foundation
import Hummingbird
import Models
import ServiceKit

/// Social organizations, social-work stations and their teams (`/v1/organizations`,
/// `/v1/teams`), registered by staff and operators within their area.
struct OrganizationRoutes {
    let dependencies: ServiceDependencies

    enum Kind: String, CaseIterable, Codable {
        case socialOrganization = "social-organization"
        case socialWorkStation = "social-work-station"
        case streetOffice = "street-office"
        case communityCommittee = "community-committee"
    }

    struct OrganizationInput: Decodable {
        var kind: String?
        var name: String?
        var area: String?
    }

    struct TeamInput: Decodable {
        var organizationId: UUID?
        var name: String?
        var area: String?
    }

    struct Created: Codable {
        var id: UUID
    }

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/organizations") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let (input, raw) = try await request.readJSON(as: OrganizationInput.self, context: context)
            var validator = FieldValidator()
            let kind: Kind? = validator.oneOf(input.kind, "kind")
            let name = validator.text(input.name, "name", maxLength: 100)
            let area = validator.area(input.area, "area")
            try validator.check()
            try Scope.require(access, covers: area!)
            return try await dependencies.writes.perform(request, body: raw) { connection in
                try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("area", area)])
                let id = UUID()
                try await connection.query(
                    "INSERT INTO organizations (id, kind, name, area) VALUES (\(id), \(kind!.rawValue), \(name!), \(area!.rawValue))",
                    logger: dependencies.logger
                )
                return try StoredResponse(status: .created, json: Created(id: id))
            }
        }
        router.post("/v1/teams") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let (input, raw) = try await request.readJSON(as: TeamInput.self, context: context)
            var validator = FieldValidator()
            let name = validator.text(input.name, "name", maxLength: 100)
            let area = validator.area(input.area, "area")
            try validator.check()
            try Scope.require(access, covers: area!)
            return try await dependencies.writes.perform(request, body: raw) { connection in
                try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("area", area)])
                let id = UUID()
                try await connection.query(
                    "INSERT INTO teams (id, organization_id, name, area) VALUES (\(id), \(input.organizationId), \(name!), \(area!.rawValue))",
                    logger: dependencies.logger
                )
                return try StoredResponse(status: .created, json: Created(id: id))
            }
        }
    }
}

/// Scope checks: a caller acts only within their area.
enum Scope {
    /// Throws 403 when `area` is outside the caller's scope (for writes, where the caller
    /// names the area themselves).
    static func require(_ access: AccessToken, covers area: AreaCode) throws(ProblemDetails) {
        guard access.covers(area) else {
            throw ProblemDetails(status: .forbidden, detail: "Area \(area.rawValue) is outside your scope (\(access.area?.rawValue ?? "city")).")
        }
    }

    /// Throws 404 when a record's area is outside the caller's scope: for reads, whether a
    /// record exists elsewhere is itself not theirs to know.
    static func requireVisible(_ access: AccessToken, _ area: AreaCode, what: String) throws(ProblemDetails) {
        guard access.covers(area) else { throw ProblemDetails(status: .notFound, detail: "No such \(what).") }
    }
}
