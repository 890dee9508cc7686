import Foundation
import Hummingbird
import Models
import PostgresNIO
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

    struct OrganizationInput: Decodable, Sendable {
        var kind: String?
        var name: String?
        var area: String?
    }

    struct TeamInput: Decodable, Sendable {
        var organizationId: UUID?
        var name: String?
        var area: String?
    }

    struct Created: Codable {
        var id: UUID
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/organizations") { request, context in
            try await register(request, context, as: OrganizationInput.self) { input, validator in
                let kind: Kind? = validator.oneOf(input.kind, "kind")
                return (input.name, input.area, { id, name, area, _, connection in
                    try await connection.query(
                        "INSERT INTO organizations (id, kind, name, area) VALUES (\(id), \(kind!.rawValue), \(name), \(area.rawValue))",
                        logger: dependencies.logger
                    )
                })
            }
        }
        router.post("/v1/teams") { request, context in
            try await register(request, context, as: TeamInput.self) { input, _ in
                (input.name, input.area, { id, name, area, access, connection in
                    if let organization = input.organizationId {
                        try await OrganizationReference(connection: connection, logger: dependencies.logger).require(organization, visibleTo: access)
                    }
                    try await connection.query(
                        "INSERT INTO teams (id, organization_id, name, area) VALUES (\(id), \(input.organizationId), \(name), \(area.rawValue))",
                        logger: dependencies.logger
                    )
                })
            }
        }
    }

    /// Inserts the checked thing: its id, name and area, the caller, the transaction.
    typealias Insert = @Sendable (UUID, String, AreaCode, AccessToken, PostgresConnection) async throws -> Void

    /// Registers a named thing in an area the caller covers: reads the body, lets `fields`
    /// check what is particular to it and say how to insert it, then writes idempotently.
    private func register<Input: Decodable & Sendable>(
        _ request: Request, _ context: ServiceRequestContext, as type: Input.Type,
        fields: (Input, inout FieldValidator) -> (name: String?, area: String?, insert: Insert)
    ) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: type, context: context)
        var validator = FieldValidator()
        let (nameText, areaText, insert) = fields(input, &validator)
        let name = validator.text(nameText, "name", maxLength: 100)
        let area = validator.area(areaText, "area")
        try validator.check()
        try Scope.require(access, covers: area!)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("area", area)])
            let id = UUID()
            try await insert(id, name!, area!, access, connection)
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }
}
