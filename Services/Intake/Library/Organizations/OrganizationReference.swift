import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// A write's reference to an organization (a recruitment call's, a team's): the organization
/// must lie within the caller's scope, so a street's staff cannot publish or form anything in
/// another street's name. Another street's organization is answered exactly like one that
/// does not exist — 422 on the field, "Unknown reference" — so the refusal does not tell
/// whether it exists.
struct OrganizationReference {
    let connection: PostgresConnection
    let logger: Logger

    func require(_ organization: UUID, visibleTo access: AccessToken, field: String = "organizationId") async throws {
        let area = try await connection.query("SELECT area FROM organizations WHERE id = \(organization)", logger: logger)
            .decode(String.self).collectAll().first.flatMap(AreaCode.init)
        guard let area, access.covers(area) else {
            throw ProblemDetails(
                status: .unprocessableContent, title: "Unknown reference", detail: "No such organization in your area.",
                errors: [.init(field: field, message: "no such organization in your area")]
            )
        }
    }
}
