import EventBus
import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit

/// Recruitment calls (招募令): a station publishes one for an area; its public page counts
/// sign-ups against the headcount and gives the sign-up link.
struct RecruitmentCallRoutes {
    let dependencies: ServiceDependencies

    struct CallInput: Decodable {
        var organizationId: UUID?
        var area: String?
        var title: String?
        var roles: [String]?
        var headcount: Int?
        var deadline: String?
    }

    struct CallPage: Codable {
        var id: UUID
        var title: String
        var area: String
        var roles: [String]
        var headcount: Int
        var signUps: Int
        var deadline: Date
        var open: Bool
        var signUpLink: String
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/recruitment-calls") { request, context in try await publish(request, context) }
        router.get("/v1/recruitment-calls/{id}") { request, context in
            guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such recruitment call.") }
            guard let page = try await Self.page(id, client: dependencies.client, dependencies: dependencies) else {
                throw ProblemDetails(status: .notFound, detail: "No such recruitment call.")
            }
            return try JSONResponse.make(page)
        }
    }

    private func publish(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: CallInput.self, context: context)
        var validator = FieldValidator()
        let organization = validator.required(input.organizationId, "organizationId")
        let area = validator.area(input.area, "area")
        let title = validator.text(input.title, "title", maxLength: 200)
        let roles = validator.required(input.roles, "roles") ?? []
        if input.roles != nil && (roles.isEmpty || roles.count > 20 || roles.contains { $0.isEmpty || $0.count > 50 }) {
            validator.fail("roles", "must list 1–20 roles of at most 50 characters")
        }
        let headcount = validator.range(input.headcount, "headcount", 1...100_000)
        let deadline = input.deadline.flatMap(Timestamp.parse)
        if input.deadline == nil { validator.fail("deadline", "is required") } else if deadline == nil {
            validator.fail("deadline", "must be an RFC 3339 time")
        } else if deadline! < Date() { validator.fail("deadline", "must be in the future") }
        try validator.check()
        try Scope.require(access, covers: area!)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("area", area)])
            try await OrganizationReference(connection: connection, logger: dependencies.logger).require(organization!, visibleTo: access)
            let id = UUID()
            try await connection.query(
                """
                INSERT INTO recruitment_calls (id, organization_id, area, title, roles, headcount, deadline)
                VALUES (\(id), \(organization!), \(area!.rawValue), \(title!), \(roles), \(headcount!), \(deadline!))
                """,
                logger: dependencies.logger
            )
            try await Outbox.append(IntakeEvents.callPublished(id, area: area!, roles: roles, headcount: headcount!, deadline: deadline!), on: connection, logger: dependencies.logger)
            return try StoredResponse(
                status: .created,
                json: CallPage(
                    id: id, title: title!, area: area!.rawValue, roles: roles, headcount: headcount!, signUps: 0,
                    deadline: deadline!, open: true, signUpLink: "/v1/recruitment-calls/\(id.uuidString.lowercased())/sign-ups"
                )
            )
        }
    }

    static func page(_ id: UUID, client: PostgresClient, dependencies: ServiceDependencies) async throws -> CallPage? {
        for try await (title, area, roles, headcount, deadline, signUps) in try await client.query(
            """
            SELECT c.title, c.area, c.roles, c.headcount, c.deadline,
                   (SELECT count(*)::int FROM volunteers v WHERE v.call_id = c.id AND v.status <> 'withdrawn')
            FROM recruitment_calls c WHERE c.id = \(id)
            """,
            logger: dependencies.logger
        ).decode((String, String, [String], Int, Date, Int).self) {
            return CallPage(
                id: id, title: title, area: area, roles: roles, headcount: headcount, signUps: signUps, deadline: deadline,
                open: deadline > Date(), signUpLink: "/v1/recruitment-calls/\(id.uuidString.lowercased())/sign-ups"
            )
        }
        return nil
    }
}
