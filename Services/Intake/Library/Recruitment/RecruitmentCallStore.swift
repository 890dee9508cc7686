import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of recruitment calls: publishing one (announced in the same transaction) and its
/// public page, which counts the sign-ups that have not withdrawn.
struct RecruitmentCallStore {
    let connection: PostgresConnection
    let logger: Logger

    struct Page: Codable {
        var id: UUID
        var title: String
        var area: String
        var roles: [String]
        var headcount: Int
        var signUps: Int
        var deadline: Date
        var open: Bool
        var signUpLink: String
    }

    /// Publishes `call` for `access`, whose area must hold the call's organization.
    func publish(_ call: NewRecruitmentCall, by access: AccessToken) async throws -> Page {
        try await AreaDirectory(connection: connection, logger: logger).requireKnown([("area", call.area)])
        try await OrganizationReference(connection: connection, logger: logger).require(call.organization, visibleTo: access)
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO recruitment_calls (id, organization_id, area, title, roles, headcount, deadline)
            VALUES (\(id), \(call.organization), \(call.area.rawValue), \(call.title), \(call.roles), \(call.headcount), \(call.deadline))
            """,
            logger: logger
        )
        let event = IntakeEvents.call(id, area: call.area, roles: call.roles, headcount: call.headcount, deadline: call.deadline)
        try await Outbox.append(event, on: connection, logger: logger)
        return Page(
            id: id, title: call.title, area: call.area.rawValue, roles: call.roles, headcount: call.headcount, signUps: 0,
            deadline: call.deadline, open: true, signUpLink: Self.signUpLink(id)
        )
    }

    /// The call's public page; `nil` when there is no such call.
    func page(_ id: UUID) async throws -> Page? {
        let row = try await connection.query(
            """
            SELECT c.title, c.area, c.roles, c.headcount, c.deadline,
                   (SELECT count(*)::int FROM volunteers v WHERE v.call_id = c.id AND v.status <> 'withdrawn')
            FROM recruitment_calls c WHERE c.id = \(id)
            """,
            logger: logger
        ).decode((String, String, [String], Int, Date, Int).self).collectAll().first
        guard let (title, area, roles, headcount, deadline, signUps) = row else { return nil }
        return Page(
            id: id, title: title, area: area, roles: roles, headcount: headcount, signUps: signUps, deadline: deadline,
            open: deadline > Date(), signUpLink: Self.signUpLink(id)
        )
    }

    private static func signUpLink(_ id: UUID) -> String { "/v1/recruitment-calls/\(id.lowercasedString)/sign-ups" }
}
