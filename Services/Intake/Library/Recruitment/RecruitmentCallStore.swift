import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of recruitment calls: publishing, editing and closing one (each announced in the
/// same transaction) and its public page, which counts the sign-ups against the headcount.
///
/// Concurrency: an edit or a close locks the call's row (`FOR UPDATE`), as a sign-up does
/// (``VolunteerStore/signUp(_:call:desk:)``), so a sign-up sees the headcount and closing in
/// force when it commits, and two sign-ups cannot both take a call's last place.
struct RecruitmentCallStore {
    let connection: PostgresConnection
    let logger: Logger

    struct Page: Codable {
        var id: UUID
        var title: String
        var area: String
        var roles: [String]
        var headcount: Int
        /// Whether sign-ups stop once `placesTaken` reaches `headcount`.
        var enforceHeadcount: Bool
        /// Sign-ups that have not withdrawn.
        var signUps: Int
        /// Sign-ups neither withdrawn nor rejected: the places of the headcount they fill.
        var placesTaken: Int
        var deadline: Date
        var closedAt: Date?
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
            INSERT INTO recruitment_calls (id, organization_id, area, title, roles, headcount, enforce_headcount, deadline)
            VALUES (\(id), \(call.organization), \(call.area.rawValue), \(call.title), \(call.roles), \(call.headcount),
                    \(call.enforceHeadcount), \(call.deadline))
            """,
            logger: logger
        )
        let event = IntakeEvents.call(id, area: call.area, roles: call.roles, headcount: call.headcount, deadline: call.deadline)
        try await Outbox.append(event, on: connection, logger: logger)
        guard let page = try await page(id) else { throw NotFound("recruitment call") }
        return page
    }

    /// Applies `edit` to the call, when `access` covers its area and it is not closed.
    func edit(_ id: UUID, _ edit: RecruitmentCallEdit, by access: AccessToken) async throws -> Page {
        try await lockOpen(id, visibleTo: access)
        try await connection.query(
            """
            UPDATE recruitment_calls SET title = COALESCE(\(edit.title), title), roles = COALESCE(\(edit.roles), roles),
                   headcount = COALESCE(\(edit.headcount), headcount), enforce_headcount = COALESCE(\(edit.enforceHeadcount), enforce_headcount),
                   deadline = COALESCE(\(edit.deadline), deadline), updated_at = now()
            WHERE id = \(id)
            """,
            logger: logger
        )
        return try await announce(id, on: IntakeEvents.callUpdated)
    }

    /// Stops the call taking sign-ups now, before its deadline; those already in stay.
    func close(_ id: UUID, by access: AccessToken) async throws -> Page {
        try await lockOpen(id, visibleTo: access)
        try await connection.query("UPDATE recruitment_calls SET closed_at = now(), updated_at = now() WHERE id = \(id)", logger: logger)
        return try await announce(id, on: IntakeEvents.callClosed)
    }

    /// Locks the call; 404 when unknown or outside `access`, 409 when closed.
    private func lockOpen(_ id: UUID, visibleTo access: AccessToken) async throws {
        let row = try await connection.query(
            "SELECT area, closed_at FROM recruitment_calls WHERE id = \(id) FOR UPDATE", logger: logger
        ).decode((String, Date?).self).collectAll().first
        guard let (area, closedAt) = row, let code = AreaCode(area) else { throw NotFound("recruitment call") }
        try Scope.requireVisible(access, code, what: "recruitment call")
        if let closedAt {
            throw Refusal("This recruitment call was closed at \(Timestamp.format(closedAt)); publish a new one.", title: "Call closed")
        }
    }

    private func announce(_ id: UUID, on topic: Topic) async throws -> Page {
        guard let page = try await page(id), let area = AreaCode(page.area) else { throw NotFound("recruitment call") }
        let event = IntakeEvents.call(
            topic, id, area: area, roles: page.roles, headcount: page.headcount, enforceHeadcount: page.enforceHeadcount,
            deadline: page.deadline, closedAt: page.closedAt)
        try await Outbox.append(event, on: connection, logger: logger)
        return page
    }

    /// The call's public page; `nil` when there is no such call.
    func page(_ id: UUID) async throws -> Page? {
        let row = try await connection.query(
            """
            SELECT c.title, c.area, c.roles, c.headcount, c.enforce_headcount, c.deadline, c.closed_at, n.sign_ups, n.taken
            FROM recruitment_calls c,
                 LATERAL (SELECT (count(*) FILTER (WHERE v.status <> 'withdrawn'))::int AS sign_ups,
                                 (count(*) FILTER (WHERE v.status NOT IN ('withdrawn', 'rejected')))::int AS taken
                          FROM volunteers v WHERE v.call_id = c.id) n
            WHERE c.id = \(id)
            """,
            logger: logger
        ).decode((String, String, [String], Int, Bool, Date, Date?, Int, Int).self).collectAll().first
        guard let (title, area, roles, headcount, enforce, deadline, closedAt, signUps, taken) = row else { return nil }
        let terms = CallTerms(headcount: headcount, enforceHeadcount: enforce, deadline: deadline, closedAt: closedAt)
        return Page(
            id: id, title: title, area: area, roles: roles, headcount: headcount, enforceHeadcount: enforce, signUps: signUps,
            placesTaken: taken, deadline: deadline, closedAt: closedAt, open: terms.refusal(placesTaken: taken) == nil,
            signUpLink: Self.signUpLink(id)
        )
    }

    static func signUpLink(_ id: UUID) -> String { "/v1/recruitment-calls/\(id.lowercasedString)/sign-ups" }
}
