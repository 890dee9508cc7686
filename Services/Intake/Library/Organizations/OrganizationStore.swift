import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// The SQL of registering organizations and teams, in an area that must exist (and that the
/// caller covers, checked before the transaction).
struct OrganizationStore {
    let connection: PostgresConnection
    let logger: Logger

    func register(_ organization: NewOrganization) async throws -> UUID {
        try await AreaDirectory(connection: connection, logger: logger).requireKnown([("area", organization.area)])
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO organizations (id, kind, name, area)
            VALUES (\(id), \(organization.kind.rawValue), \(organization.name), \(organization.area.rawValue))
            """,
            logger: logger
        )
        return id
    }

    /// Registers `team`; its organization, when named, must lie in `access`'s area.
    func register(_ team: NewTeam, by access: AccessToken) async throws -> UUID {
        try await AreaDirectory(connection: connection, logger: logger).requireKnown([("area", team.area)])
        if let organization = team.organization {
            try await OrganizationReference(connection: connection, logger: logger).require(organization, visibleTo: access)
        }
        let id = UUID()
        try await connection.query(
            "INSERT INTO teams (id, organization_id, name, area) VALUES (\(id), \(team.organization), \(team.name), \(team.area.rawValue))",
            logger: logger
        )
        return id
    }
}
