import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of a volunteer's standing: the record locked for a change, its history of
/// actions and of health declarations, and the event each change announces — all in the
/// caller's transaction, so a change and its announcement commit together or not at all.
///
/// Concurrency: every change starts with ``lock(_:)`` (`FOR UPDATE` on the volunteer's
/// row), so two staff vetting the same person, or a volunteer declaring while staff verify,
/// take turns and the second sees the first's result; a token issued meanwhile
/// (``VolunteerTokenStore``) waits for the same lock.
struct VolunteerStore {
    let connection: PostgresConnection
    let logger: Logger

    /// A volunteer as the vetting rules need them.
    struct Standing: Sendable {
        var community: AreaCode
        var team: UUID?
        var skills: [String]
        var vetting: VolunteerVetting
        var declaration: HealthDeclaration
    }

    /// Registers a new volunteer, pending vetting, with their first declaration; `nil` when
    /// the ID number is already registered (nothing is written then).
    func register(_ volunteer: NewVolunteer, call: UUID, actor: String) async throws -> UUID? {
        let id = UUID()
        let inserted =
            try await connection.query(
                """
                INSERT INTO volunteers (id, name, mobile, id_number, birth_year, community, team_id, call_id, skills, availability, health)
                VALUES (\(id), \(volunteer.name), \(volunteer.mobile.digits), \(volunteer.idNumber.value), \(volunteer.birthYear),
                        \(volunteer.community.rawValue), \(volunteer.team), \(call), \(volunteer.skills),
                        \(volunteer.availabilityJSON)::jsonb, \(volunteer.health.json.canonicalText)::jsonb)
                ON CONFLICT (id_number) DO NOTHING RETURNING id
                """,
                logger: logger
            ).collect().count == 1
        guard inserted else { return nil }
        try await connection.query(
            "INSERT INTO volunteer_declarations (volunteer_id, health, actor) VALUES (\(id), \(volunteer.health.json.canonicalText)::jsonb, 'sign-up')",
            logger: logger
        )
        try await recordHistory(id, action: "sign-up", status: .pending, reason: nil, actor: actor)
        try await Outbox.append(
            IntakeEvents.volunteer(
                IntakeEvents.volunteerRegistered, id: id, community: volunteer.community, team: volunteer.team, skills: volunteer.skills,
                vetting: VolunteerVetting(), call: call
            ),
            on: connection, logger: logger
        )
        return id
    }

    /// The volunteer's standing, locked until the transaction ends; `nil` when unknown.
    func lock(_ id: UUID) async throws -> Standing? {
        try await connection.query(
            "SELECT community, team_id, skills, status, trained, insured, health::text FROM volunteers WHERE id = \(id) FOR UPDATE",
            logger: logger
        ).decode((String, UUID?, [String], String, Bool, Bool, String).self).collectAll().first.flatMap { row in
            AreaCode(row.0).map { community in
                Standing(
                    community: community, team: row.1, skills: row.2,
                    vetting: VolunteerVetting(status: VolunteerStatus(rawValue: row.3) ?? .pending, trained: row.4, insured: row.5),
                    declaration: HealthDeclaration(stored: (try? JSONParser.parse(Array(row.6.utf8))) ?? .null)
                )
            }
        }
    }

    /// The statuses that take a volunteer off duty: the phone tokens issued before are taken back.
    static let offDuty: Set<VolunteerStatus> = [.suspended, .withdrawn, .rejected]

    /// Stores the new standing (the volunteer's status was `previous`), writes the history
    /// line and announces it on `topic`. A move into an off-duty status (``offDuty``) revokes
    /// the volunteer's phone tokens in the same transaction, so a suspension and its
    /// revocation commit together; a token the station issues after a reinstatement works.
    func save(
        _ id: UUID, _ standing: Standing, from previous: VolunteerStatus, action: String, topic: Topic, reason: String?, actor: String
    ) async throws {
        try await connection.query(
            """
            UPDATE volunteers SET status = \(standing.vetting.status.rawValue), trained = \(standing.vetting.trained),
                   insured = \(standing.vetting.insured), team_id = \(standing.team), updated_at = now() WHERE id = \(id)
            """,
            logger: logger
        )
        let status = standing.vetting.status
        if status != previous && Self.offDuty.contains(status) {
            try await VolunteerTokenStore(connection: connection, logger: logger).revoke(
                id, actor: "intake", reason: "volunteer \(status.rawValue)")
        }
        try await recordHistory(id, action: action, status: status, reason: reason, actor: actor)
        try await Outbox.append(
            IntakeEvents.volunteer(
                topic, id: id, community: standing.community, team: standing.team, skills: standing.skills, vetting: standing.vetting),
            on: connection, logger: logger
        )
    }

    /// A line of the volunteer's history, for staff and for the volunteer's own record.
    func recordHistory(_ id: UUID, action: String, status: VolunteerStatus, reason: String?, actor: String) async throws {
        try await connection.query(
            "INSERT INTO volunteer_history (volunteer_id, action, status, reason, actor) VALUES (\(id), \(action), \(status.rawValue), \(reason), \(actor))",
            logger: logger
        )
    }

    /// Makes `declaration` the current one; the earlier ones stay in the history.
    func recordDeclaration(_ id: UUID, _ declaration: HealthDeclaration, actor: String) async throws {
        let health = declaration.json.canonicalText
        try await connection.query("UPDATE volunteers SET health = \(health)::jsonb, updated_at = now() WHERE id = \(id)", logger: logger)
        try await connection.query(
            "INSERT INTO volunteer_declarations (volunteer_id, health, actor) VALUES (\(id), \(health)::jsonb, \(actor))", logger: logger
        )
    }
}
