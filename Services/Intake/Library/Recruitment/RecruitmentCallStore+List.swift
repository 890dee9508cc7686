import Foundation
import Models
import PostgresNIO
import ServiceKit

/// The station's list of its recruitment calls: the calls whose area lies in the caller's
/// scope, newest first, each counted as on its public page and with the organization that
/// published it (so a station publishing the next call can pick the same one).
extension RecruitmentCallStore {
    /// At most this many calls: a station publishes a few a week, not hundreds.
    static let listLimit = 200

    struct ListItem: Codable {
        var id: UUID
        var organizationId: UUID
        var organizationName: String
        var title: String
        var area: String
        var roles: [String]
        var headcount: Int
        var enforceHeadcount: Bool
        var signUps: Int
        var placesTaken: Int
        var deadline: Date
        var closedAt: Date?
        var open: Bool
        var signUpLink: String
        var createdAt: Date
    }

    struct Listed: Codable {
        var items: [ListItem]
    }

    /// The calls `access` covers, newest first, at most ``listLimit``.
    func list(visibleTo access: AccessToken, now: Date = Date()) async throws -> [ListItem] {
        typealias Row = (UUID, UUID, String, String, String, [String], Int, Bool, Date, Date?, Date, Int, Int)
        var items: [ListItem] = []
        let rows = try await connection.query(
            """
            SELECT c.id, c.organization_id, o.name, c.title, c.area, c.roles, c.headcount, c.enforce_headcount, c.deadline,
                   c.closed_at, c.created_at, n.sign_ups, n.taken
            FROM recruitment_calls c JOIN organizations o ON o.id = c.organization_id,
                 LATERAL (SELECT (count(*) FILTER (WHERE v.status <> 'withdrawn'))::int AS sign_ups,
                                 (count(*) FILTER (WHERE v.status NOT IN ('withdrawn', 'rejected')))::int AS taken
                          FROM volunteers v WHERE v.call_id = c.id) n
            WHERE c.area LIKE \(access.areaPattern)
            ORDER BY c.created_at DESC, c.id LIMIT \(Self.listLimit)
            """,
            logger: logger
        ).decode(Row.self)
        for try await row in rows {
            let (id, organization, organizationName, title, area, roles, headcount, enforce, deadline, closedAt, created, signUps, taken) =
                row
            let terms = CallTerms(headcount: headcount, enforceHeadcount: enforce, deadline: deadline, closedAt: closedAt)
            items.append(
                ListItem(
                    id: id, organizationId: organization, organizationName: organizationName, title: title, area: area, roles: roles,
                    headcount: headcount, enforceHeadcount: enforce, signUps: signUps, placesTaken: taken, deadline: deadline,
                    closedAt: closedAt, open: terms.refusal(placesTaken: taken, now: now) == nil, signUpLink: Self.signUpLink(id),
                    createdAt: created))
        }
        return items
    }
}
