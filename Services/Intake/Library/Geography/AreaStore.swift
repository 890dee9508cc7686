import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// The SQL of the area tree: loading a batch (parents first, names and populations updated
/// in place) and browsing one level of it.
struct AreaStore {
    let connection: PostgresConnection
    let logger: Logger

    struct View: Codable {
        var code: String
        var parent: String?
        var level: String
        var name: String
        var population: Int?
    }

    /// Loads `areas` (sorted parents first); every parent must be in the batch or known.
    func load(_ areas: [NewArea]) async throws {
        let missingParents = Set(areas.compactMap(\.code.parent)).subtracting(areas.map(\.code))
        let known = try await AreaDirectory(connection: connection, logger: logger).levels(of: Array(missingParents))
        let orphans = missingParents.filter { known[$0] == nil }.sorted()
        guard orphans.isEmpty else {
            throw InvalidFields(
                orphans.prefix(20).map {
                    .init(field: "parent", message: "unknown parent area \($0.rawValue): load it first or in the same request")
                }
            )
        }
        try await connection.query(
            """
            INSERT INTO areas (code, parent, level, name, population)
            SELECT c, NULLIF(p, ''), l, n, NULLIF(pop, -1)
            FROM UNNEST(\(areas.map(\.code.rawValue))::text[], \(areas.map { $0.code.parent?.rawValue ?? "" })::text[],
                        \(areas.map(\.code.level.rawValue))::text[], \(areas.map(\.name))::text[],
                        \(areas.map { $0.population ?? -1 })::int[])
                 WITH ORDINALITY AS a(c, p, l, n, pop, o)
            ORDER BY o
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, population = EXCLUDED.population
            """,
            logger: logger
        )
    }

    /// The children of `parent`, or the top level (districts) without one.
    func children(of parent: AreaCode?) async throws -> [View] {
        let query: PostgresQuery =
            parent.map {
                "SELECT code, parent, level, name, population FROM areas WHERE parent = \($0.rawValue) ORDER BY code LIMIT 5000"
            } ?? "SELECT code, parent, level, name, population FROM areas WHERE parent IS NULL ORDER BY code"
        var views: [View] = []
        for try await (code, parent, level, name, population) in try await connection.query(query, logger: logger)
            .decode((String, String?, String, String, Int?).self)
        {
            views.append(View(code: code, parent: parent, level: level, name: name, population: population))
        }
        return views
    }
}
