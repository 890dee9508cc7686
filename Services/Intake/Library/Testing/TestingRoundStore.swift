import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// The SQL of testing rounds and their sites, and of a round's progress: residents
/// checked in against those expected, per site and per street.
struct TestingRoundStore {
    let connection: PostgresConnection
    let logger: Logger

    struct Progress: Codable {
        struct Site: Codable {
            var siteId: UUID
            var name: String
            var area: String
            var expected: Int
            var checkedIn: Int
        }
        struct Area: Codable {
            var area: String
            var expected: Int
            var checkedIn: Int
        }
        var roundId: UUID
        var expected: Int
        var checkedIn: Int
        var sites: [Site]
        var streets: [Area]
    }

    func create(_ round: NewRound) async throws -> UUID {
        try await AreaDirectory(connection: connection, logger: logger).requireKnown([("area", round.area)])
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO testing_rounds (id, name, area, starts_at, ends_at)
            VALUES (\(id), \(round.name), \(round.area.rawValue), \(round.startsAt), \(round.endsAt))
            """,
            logger: logger
        )
        return id
    }

    /// Adds `site` to `round`; the site must lie inside the round's area.
    func add(_ site: NewSite, to round: UUID) async throws -> UUID {
        try await AreaDirectory(connection: connection, logger: logger).requireKnown([("area", site.area)])
        guard
            let roundArea = try await connection.query("SELECT area FROM testing_rounds WHERE id = \(round)", logger: logger)
                .decode(String.self).collectAll().first.flatMap(AreaCode.init)
        else { throw NotFound("round") }
        guard roundArea.contains(site.area) else {
            throw InvalidFields("area", "must lie inside the round's area \(roundArea.rawValue)")
        }
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO testing_sites (id, round_id, area, name, opens_at, closes_at, expected_population)
            VALUES (\(id), \(round), \(site.area.rawValue), \(site.name), \(site.opensAt), \(site.closesAt), \(site.expectedPopulation))
            """,
            logger: logger
        )
        return id
    }

    /// The round's progress over the sites `access` covers (none, for a round unknown or
    /// wholly outside the caller's area).
    func progress(_ round: UUID, visibleTo access: AccessToken) async throws -> Progress {
        var sites: [Progress.Site] = []
        for try await (id, name, area, expected, checkedIn) in try await connection.query(
            """
            SELECT s.id, s.name, s.area, s.expected_population,
                   (SELECT count(*)::int FROM checkins c WHERE c.site_id = s.id)
            FROM testing_sites s WHERE s.round_id = \(round) AND s.area LIKE \(access.areaPattern) ORDER BY s.area, s.name
            """,
            logger: logger
        ).decode((UUID, String, String, Int, Int).self) {
            sites.append(Progress.Site(siteId: id, name: name, area: area, expected: expected, checkedIn: checkedIn))
        }
        let streets = Dictionary(grouping: sites) { AreaCode($0.area)?.street?.rawValue ?? $0.area }
            .map { street, sites in
                Progress.Area(
                    area: street, expected: sites.reduce(0) { $0 + $1.expected }, checkedIn: sites.reduce(0) { $0 + $1.checkedIn }
                )
            }
            .sorted { $0.area < $1.area }
        return Progress(
            roundId: round, expected: sites.reduce(0) { $0 + $1.expected }, checkedIn: sites.reduce(0) { $0 + $1.checkedIn },
            sites: sites, streets: streets
        )
    }
}
