import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// The SQL of testing rounds and their sites, and of a round's progress: residents
/// checked in against those expected, and the tubes they fill (fewer, when pooled), per
/// site and per street.
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
            var residents: Int
            var tubes: Int
        }
        struct Area: Codable {
            var area: String
            var expected: Int
            var checkedIn: Int
            var residents: Int
            var tubes: Int
        }
        var roundId: UUID
        var poolSize: Int
        var expected: Int
        /// Samples taken: every check-in, a retest included.
        var checkedIn: Int
        /// Residents sampled (a retest does not count them again): the figure against `expected`.
        var residents: Int
        /// Tubes filled: the residents over the pool size, when pooled.
        var tubes: Int
        var sites: [Site]
        var streets: [Area]
    }

    func create(_ round: NewRound) async throws -> UUID {
        try await AreaDirectory(connection: connection, logger: logger).requireKnown([("area", round.area)])
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO testing_rounds (id, name, area, starts_at, ends_at, pool_size)
            VALUES (\(id), \(round.name), \(round.area.rawValue), \(round.startsAt), \(round.endsAt), \(round.poolSize))
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
        for try await (id, name, area, expected, checkedIn, residents, tubes) in try await connection.query(
            """
            SELECT s.id, s.name, s.area, s.expected_population, c.samples, c.residents, c.tubes
            FROM testing_sites s,
                 LATERAL (SELECT count(*)::int AS samples, (count(*) FILTER (WHERE NOT retest))::int AS residents,
                                 count(DISTINCT tube_barcode)::int AS tubes
                          FROM checkins WHERE site_id = s.id) c
            WHERE s.round_id = \(round) AND s.area LIKE \(access.areaPattern) ORDER BY s.area, s.name
            """,
            logger: logger
        ).decode((UUID, String, String, Int, Int, Int, Int).self) {
            sites.append(
                Progress.Site(
                    siteId: id, name: name, area: area, expected: expected, checkedIn: checkedIn, residents: residents, tubes: tubes))
        }
        let poolSize =
            try await connection.query("SELECT pool_size FROM testing_rounds WHERE id = \(round)", logger: logger)
            .decode(Int.self).collectAll().first ?? 1
        func total(_ sites: [Progress.Site], _ value: KeyPath<Progress.Site, Int>) -> Int { sites.reduce(0) { $0 + $1[keyPath: value] } }
        let streets = Dictionary(grouping: sites) { AreaCode($0.area)?.street?.rawValue ?? $0.area }
            .map { street, sites in
                Progress.Area(
                    area: street, expected: total(sites, \.expected), checkedIn: total(sites, \.checkedIn),
                    residents: total(sites, \.residents), tubes: total(sites, \.tubes))
            }
            .sorted { $0.area < $1.area }
        return Progress(
            roundId: round, poolSize: poolSize, expected: total(sites, \.expected), checkedIn: total(sites, \.checkedIn),
            residents: total(sites, \.residents), tubes: total(sites, \.tubes), sites: sites, streets: streets
        )
    }
}
