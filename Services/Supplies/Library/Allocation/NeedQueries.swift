import Foundation
import Logging
import Models
import PostgresNIO

/// Need per community, read from the other services' tables: households in sealed
/// compounds with open requests (intake), residents on the vulnerable registry (outreach),
/// and open requests.
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
            SELECT c.code, c.name,
                   (SELECT count(DISTINCT household_key) FROM requests r WHERE r.compound LIKE c.code || '-%' AND r.zone = 'sealed'
                      AND r.status NOT IN ('cancelled', 'merged', 'delivered', 'completed', 'followed-up'))::int,
                   (SELECT count(*) FROM outreach_residents o WHERE o.compound LIKE c.code || '-%' AND o.status = 'active')::int,
                   (SELECT count(*) FROM requests r WHERE r.compound LIKE c.code || '-%' AND (\(category) = '' OR r.category = \(category))
                      AND r.status NOT IN ('cancelled', 'merged', 'delivered', 'completed', 'followed-up'))::int
            FROM areas c WHERE c.level = 'community' AND c.code LIKE \(pattern) ORDER BY c.code
            """,
            logger: logger
        ).decode((String, String, Int, Int, Int).self).collectAll().map { code, name, sealed, vulnerable, open in
            (Allocation.Need(community: code, sealedHouseholds: sealed, vulnerableResidents: vulnerable, openRequests: open), name)
        }
    }
}
