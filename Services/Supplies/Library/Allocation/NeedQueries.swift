import Foundation
import Logging
import Models
import PostgresNIO

/// Need per community, read where each count is kept: households and residents of its
/// compounds as the street reported them (supplies' `supplies_compounds`; residents fall
/// back to the community's census population in the geography), residents on the
/// vulnerable registry (outreach), and open requests (intake).
struct NeedQueries {
    let connection: PostgresConnection
    let logger: Logger

    /// The communities under `area`, each with its name and need; open requests of
    /// `category` only, when one is given.
    func needs(under area: AreaCode, category: WorkOrderCategory?) async throws -> [(need: Allocation.Need, name: String)] {
        let pattern = area.rawValue + "%"
        let category = category?.rawValue ?? ""
        return try await connection.query(
            """
            SELECT c.code, c.name, coalesce(s.sealed, 0)::int, coalesce(s.controlled, 0)::int, coalesce(s.precaution, 0)::int,
                   coalesce(s.population, c.population, 0)::int,
                   (SELECT count(*) FROM outreach_residents o WHERE o.compound LIKE c.code || '-%' AND o.status = 'active')::int,
                   (SELECT count(*) FROM requests r WHERE r.compound LIKE c.code || '-%' AND (\(category) = '' OR r.category = \(category))
                      AND r.status NOT IN ('cancelled', 'merged', 'delivered', 'completed', 'followed-up'))::int
            FROM areas c
            LEFT JOIN LATERAL (
                SELECT sum(k.households) FILTER (WHERE k.status = 'sealed') AS sealed,
                       sum(k.households) FILTER (WHERE k.status = 'controlled') AS controlled,
                       sum(k.households) FILTER (WHERE k.status = 'precaution') AS precaution, sum(k.population) AS population
                FROM supplies_compounds k WHERE k.code LIKE c.code || '-%'
            ) s ON true
            WHERE c.level = 'community' AND c.code LIKE \(pattern) ORDER BY c.code
            """,
            logger: logger
        ).decode((String, String, Int, Int, Int, Int, Int, Int).self).collectAll().map {
            code, name, sealed, controlled, precaution, people, vulnerable, open in
            (
                Allocation.Need(
                    community: code, sealedHouseholds: sealed, controlledHouseholds: controlled, precautionHouseholds: precaution,
                    population: people, vulnerableResidents: vulnerable, openRequests: open
                ), name
            )
        }
    }
}
