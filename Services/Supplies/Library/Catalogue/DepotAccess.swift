import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// A depot, checked against the caller's scope: stock work happens only in depots of one's area.
struct DepotAccess {
    let connection: PostgresConnection
    let logger: Logger

    /// The depot's area. When it does not exist or lies outside `access`'s scope: 404 for a
    /// depot named in the path or query, 422 naming `field` for one named in the body.
    func require(_ depot: UUID, _ access: AccessToken, field: String? = nil) async throws -> AreaCode {
        guard let area = try await areas(of: [depot])[depot], access.covers(area) else {
            if let field { throw InvalidFields(field, "no such depot in your area") }
            throw NotFound("depot")
        }
        return area
    }

    /// The areas of `depots` that exist, in one read.
    func areas(of depots: Set<UUID>) async throws -> [UUID: AreaCode] {
        var areas: [UUID: AreaCode] = [:]
        for try await (id, area) in try await connection.query(
            "SELECT id, area FROM depots WHERE id = ANY(\(Array(depots))::uuid[])", logger: logger
        ).decode((UUID, String).self) {
            areas[id] = AreaCode(area)
        }
        return areas
    }
}
