import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of the catalogue: items and depots, created in the caller's transaction and
/// listed for the caller's area.
struct CatalogueStore {
    let connection: PostgresConnection
    let logger: Logger

    struct Item: Codable {
        var id: UUID
        var name: String
        var unit: String
        var category: String
        var drugName: String?
        var strength: String?
        var form: String?
    }

    struct Depot: Codable {
        var id: UUID
        var name: String
        var kind: String
        var area: String
    }

    func create(_ item: NewItem) async throws -> UUID {
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO supply_items (id, name, unit, category, drug_name, strength, form)
            VALUES (\(id), \(item.name), \(item.unit), \(item.category.rawValue), \(item.drugName), \(item.strength), \(item.form))
            """,
            logger: logger
        )
        return id
    }

    /// Creates a depot in an area the directory knows (422 on `area` otherwise).
    func create(_ depot: NewDepot) async throws -> UUID {
        try await AreaDirectory(connection: connection, logger: logger).requireKnown([("area", depot.area)])
        let id = UUID()
        try await connection.query(
            "INSERT INTO depots (id, name, kind, area) VALUES (\(id), \(depot.name), \(depot.kind.rawValue), \(depot.area.rawValue))",
            logger: logger
        )
        return id
    }

    func items() async throws -> [Item] {
        try await connection.query(
            "SELECT id, name, unit, category, drug_name, strength, form FROM supply_items ORDER BY category, name", logger: logger
        ).decode((UUID, String, String, String, String?, String?, String?).self).collectAll().map {
            Item(id: $0.0, name: $0.1, unit: $0.2, category: $0.3, drugName: $0.4, strength: $0.5, form: $0.6)
        }
    }

    /// The depots within `access`'s area.
    func depots(visibleTo access: AccessToken) async throws -> [Depot] {
        try await connection.query(
            "SELECT id, name, kind, area FROM depots WHERE area LIKE \(access.areaPattern) ORDER BY area, name", logger: logger
        ).decode((UUID, String, String, String).self).collectAll().map { Depot(id: $0.0, name: $0.1, kind: $0.2, area: $0.3) }
    }
}
