import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The service-hours ledger (志愿服务时长): an entry per shift worked and per task done, and
/// staff corrections kept beside the entry they correct, never over it. A correction records
/// the difference, so a total is the plain sum of a volunteer's or a team's entries.
struct ServiceHours {
    let connection: PostgresConnection
    let logger: Logger

    struct Entry: Codable, Sendable {
        var id: UUID
        var source: String
        var sourceId: UUID
        var hours: Double
        var corrects: UUID?
        var reason: String?
        var actor: String
        var recordedAt: Date
    }

    /// Records `hours` for what the volunteer did (`shift` or `task`), once per source.
    func record(volunteer: UUID, source: String, sourceID: UUID, hours: Double, actor: String) async throws {
        let team =
            try await connection.query("SELECT team_id FROM volunteers WHERE id = \(volunteer)", logger: logger)
            .decode(UUID?.self).collectAll().first ?? nil
        try await connection.query(
            """
            INSERT INTO service_hours (id, volunteer_id, team_id, source, source_id, hours, actor)
            VALUES (\(UUID()), \(volunteer), \(team), \(source), \(sourceID), \(hours), \(actor))
            ON CONFLICT (source, source_id) WHERE corrects IS NULL DO NOTHING
            """,
            logger: logger
        )
    }

    /// The community of the volunteer whose entry this is, or `nil` when there is no such
    /// entry: it decides which staff may correct it.
    func community(of entry: UUID) async throws -> AreaCode? {
        try await connection.query(
            "SELECT v.community FROM service_hours h JOIN volunteers v ON v.id = h.volunteer_id WHERE h.id = \(entry)", logger: logger
        ).decode(String.self).collectAll().first.flatMap(AreaCode.init)
    }

    /// A staff correction: the entry's hours become `hours`, with the reason; the original stays.
    func correct(_ entry: UUID, to hours: Double, reason: String, actor: String) async throws -> (volunteer: UUID, entry: Entry) {
        guard
            let (volunteer, team, source, sourceID, corrects) = try await connection.query(
                "SELECT volunteer_id, team_id, source, source_id, corrects FROM service_hours WHERE id = \(entry) FOR UPDATE",
                logger: logger
            ).decode((UUID, UUID?, String, UUID, UUID?).self).collectAll().first
        else {
            throw NotFound("entry")
        }
        guard corrects == nil else { throw Refusal("Correct the original entry, not a correction.", title: "A correction") }
        let current =
            try await connection.query(
                "SELECT sum(hours) FROM service_hours WHERE id = \(entry) OR corrects = \(entry)", logger: logger
            ).decode(Double?.self).collectAll().first ?? nil
        let id = UUID()
        let difference = hours - (current ?? 0)
        try await connection.query(
            """
            INSERT INTO service_hours (id, volunteer_id, team_id, source, source_id, hours, corrects, reason, actor)
            VALUES (\(id), \(volunteer), \(team), \(source), \(sourceID), \(difference), \(entry), \(reason), \(actor))
            """,
            logger: logger
        )
        return (
            volunteer,
            Entry(
                id: id, source: source, sourceId: sourceID, hours: difference, corrects: entry, reason: reason, actor: actor,
                recordedAt: Date())
        )
    }

    func entries(volunteer: UUID) async throws -> [Entry] {
        try await connection.query(
            "SELECT id, source, source_id, hours, corrects, reason, actor, recorded_at FROM service_hours WHERE volunteer_id = \(volunteer) ORDER BY seq",
            logger: logger
        ).decode((UUID, String, UUID, Double, UUID?, String?, String, Date).self).collectAll().map {
            Entry(id: $0.0, source: $0.1, sourceId: $0.2, hours: $0.3, corrects: $0.4, reason: $0.5, actor: $0.6, recordedAt: $0.7)
        }
    }
}
