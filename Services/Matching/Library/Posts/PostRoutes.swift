import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// Posts at testing sites, checkpoints and supply points (`/v1/posts`), and their shifts.
struct PostRoutes {
    let dependencies: ServiceDependencies

    /// The jobs of a testing round and a lockdown (registration and code scanning, queue order,
    /// checkpoint 卡口, disinfection, delivery, publicity, canvassing).
    enum Role: String, CaseIterable, Codable {
        case registration, queueOrder = "queue-order", checkpoint, disinfection, delivery, publicity, canvassing, sampling
    }

    struct PostInput: Decodable {
        var name: String?
        var area: String?
        var role: String?
        var requiredSkills: [String]?
        var anyDistrict: Bool?
    }

    struct ShiftInput: Decodable {
        var startsAt: String?
        var endsAt: String?
        var slots: Int?
    }

    struct Created: Codable { var id: UUID }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/posts") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let (input, raw) = try await request.readJSON(as: PostInput.self, context: context)
            var validator = FieldValidator()
            let name = validator.text(input.name, "name", maxLength: 100)
            let area = validator.area(input.area, "area")
            if let area, area.level == .district || area.level == .street { validator.fail("area", "a post stands in a community or compound") }
            let role: Role? = validator.oneOf(input.role, "role")
            let skills = (input.requiredSkills ?? []).filter { !$0.isEmpty }
            if skills.count > 10 { validator.fail("requiredSkills", "at most 10") }
            try validator.check()
            try Scope.require(access, covers: area!)
            return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
                try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("area", area)])
                let id = UUID()
                try await connection.query(
                    """
                    INSERT INTO posts (id, name, area, role, required_skills, any_district)
                    VALUES (\(id), \(name!), \(area!.rawValue), \(role!.rawValue), \(skills), \(input.anyDistrict ?? false))
                    """,
                    logger: dependencies.logger
                )
                return try StoredResponse(status: .created, json: Created(id: id))
            }
        }
        router.post("/v1/posts/{id}/shifts") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            guard let post = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such post.") }
            let (input, raw) = try await request.readJSON(as: ShiftInput.self, context: context)
            var validator = FieldValidator()
            let starts = validator.required(input.startsAt.flatMap(Timestamp.parse), "startsAt")
            let ends = validator.required(input.endsAt.flatMap(Timestamp.parse), "endsAt")
            if let starts, let ends, ends <= starts || ends.timeIntervalSince(starts) > 24 * 3600 {
                validator.fail("endsAt", "a shift ends after it starts, within 24 hours")
            }
            let slots = validator.range(input.slots, "slots", 1...1000)
            try validator.check()
            return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
                guard let area = try await connection.query("SELECT area FROM posts WHERE id = \(post)", logger: dependencies.logger)
                    .decode(String.self).collectAll().first.flatMap(AreaCode.init)
                else { throw ProblemDetails(status: .notFound, detail: "No such post.") }
                try Scope.requireVisible(access, area, what: "post")
                let id = UUID()
                try await connection.query(
                    "INSERT INTO shifts (id, post_id, starts_at, ends_at, slots) VALUES (\(id), \(post), \(starts!), \(ends!), \(slots!))", logger: dependencies.logger
                )
                return try StoredResponse(status: .created, json: Created(id: id))
            }
        }
    }
}
