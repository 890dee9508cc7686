import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// The SQL of posts and their shifts, in the caller's transaction. Posts and shifts announce
/// nothing: the roster planned from them does.
struct PostStore {
    let connection: PostgresConnection
    let logger: Logger

    func create(_ post: NewPost) async throws -> UUID {
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO posts (id, name, area, role, required_skills, any_district)
            VALUES (\(id), \(post.name), \(post.area.rawValue), \(post.role.rawValue), \(post.requiredSkills), \(post.anyDistrict))
            """,
            logger: logger
        )
        return id
    }

    /// Where the post stands, or `nil` when there is no such post.
    func area(of post: UUID) async throws -> AreaCode? {
        try await connection.query("SELECT area FROM posts WHERE id = \(post)", logger: logger)
            .decode(String.self).collectAll().first.flatMap(AreaCode.init)
    }

    func addShift(_ shift: NewShift, to post: UUID) async throws -> UUID {
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO shifts (id, post_id, starts_at, ends_at, slots)
            VALUES (\(id), \(post), \(shift.startsAt), \(shift.endsAt), \(shift.slots))
            """,
            logger: logger
        )
        return id
    }
}
