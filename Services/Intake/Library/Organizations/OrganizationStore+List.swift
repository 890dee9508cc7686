import Foundation
import Models
import PostgresNIO
import ServiceKit

/// The organizations a caller may name in a recruitment call or a team: those whose area lies
/// in the caller's scope, the same rule ``OrganizationReference`` enforces on writes, so a
/// station picks from a list instead of typing a UUID it can only get from the database.
extension OrganizationStore {
    /// At most this many: a street has a handful of stations and offices, a district some
    /// dozens; more than this would not fit a picker anyway.
    static let listLimit = 500

    /// An organization as its registration described it; it names no person, so every role
    /// allowed to list may see all of it.
    struct ListItem: Codable {
        var id: UUID
        var kind: String
        var name: String
        var area: String
        var createdAt: Date
    }

    struct Listed: Codable {
        var items: [ListItem]
    }

    /// The organizations `access` covers, by area then name (a street's own stations sit
    /// together, and a picker reads alphabetically), at most ``listLimit``.
    func list(visibleTo access: AccessToken) async throws -> [ListItem] {
        var items: [ListItem] = []
        let rows = try await connection.query(
            """
            SELECT id, kind, name, area, created_at FROM organizations
            WHERE area LIKE \(access.areaPattern)
            ORDER BY area, name, id LIMIT \(Self.listLimit)
            """,
            logger: logger
        ).decode((UUID, String, String, String, Date).self)
        for try await (id, kind, name, area, created) in rows {
            items.append(ListItem(id: id, kind: kind, name: name, area: area, createdAt: created))
        }
        return items
    }
}
