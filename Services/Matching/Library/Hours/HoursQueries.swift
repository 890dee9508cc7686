import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// Reading the hours ledger: a volunteer's entries with their total, and a team's members'
/// totals. Volunteers and teams belong to intake's tables; their area decides who may read.
struct HoursQueries {
    let client: PostgresClient
    let logger: Logger

    struct VolunteerHours: Codable, Sendable {
        var volunteerId: UUID
        var total: Double
        var entries: [ServiceHours.Entry]
    }

    struct TeamHours: Codable, Sendable {
        struct Member: Codable, Sendable {
            var volunteerId: UUID
            var hours: Double
        }
        var teamId: UUID
        var total: Double
        var members: [Member]
    }

    /// The volunteer's ledger, or `nil` when there is no such volunteer within `access`'s area.
    func volunteer(_ id: UUID, visibleTo access: AccessToken) async throws -> VolunteerHours? {
        try await client.withConnection { connection in
            guard
                let community = try await connection.query("SELECT community FROM volunteers WHERE id = \(id)", logger: logger)
                    .decode(String.self).collectAll().first.flatMap(AreaCode.init), access.covers(community)
            else { return nil }
            return try await ledger(id, on: connection)
        }
    }

    /// The ledger of the volunteer `id` as they read it themself: no area check, since the id
    /// comes from their own token.
    func own(_ id: UUID) async throws -> VolunteerHours {
        try await client.withConnection { connection in try await ledger(id, on: connection) }
    }

    /// The volunteer's entries and their total.
    private func ledger(_ id: UUID, on connection: PostgresConnection) async throws -> VolunteerHours {
        let entries = try await ServiceHours(connection: connection, logger: logger).entries(volunteer: id)
        return VolunteerHours(volunteerId: id, total: entries.reduce(0) { $0 + $1.hours }, entries: entries)
    }

    /// Where the team works, or `nil` when there is no such team.
    func area(ofTeam id: UUID) async throws -> AreaCode? {
        try await client.query("SELECT area FROM teams WHERE id = \(id)", logger: logger)
            .decode(String.self).collectAll().first.flatMap(AreaCode.init)
    }

    func team(_ id: UUID) async throws -> TeamHours {
        let members = try await client.query(
            "SELECT volunteer_id, sum(hours) FROM service_hours WHERE team_id = \(id) GROUP BY volunteer_id ORDER BY volunteer_id",
            logger: logger
        ).decode((UUID, Double).self).collectAll().map { TeamHours.Member(volunteerId: $0.0, hours: $0.1) }
        return TeamHours(teamId: id, total: members.reduce(0) { $0 + $1.hours }, members: members)
    }
}
