import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit

/// `PUT /v1/areas` loads the district → street → community → compound tree (operators);
/// `GET /v1/areas?parent=` browses it (public: names and codes of places are not personal).
struct AreaRoutes {
    let dependencies: ServiceDependencies

    struct AreaInput: Decodable {
        var code: String?
        var name: String?
        var population: Int?
    }

    struct AreaView: Codable {
        var code: String
        var parent: String?
        var level: String
        var name: String
        var population: Int?
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.put("/v1/areas") { request, context in try await load(request, context) }
        router.get("/v1/areas") { request, _ in try await list(request) }
    }

    private func load(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator])
        let (inputs, raw) = try await request.readJSON(as: [AreaInput].self, context: context)
        var validator = FieldValidator()
        guard (1...50_000).contains(inputs.count) else { throw ProblemDetails(status: .badRequest, detail: "Send 1–50,000 areas per request.") }
        var parsed: [(code: AreaCode, name: String, population: Int?)] = []
        for (index, input) in inputs.enumerated() {
            let code = validator.area(input.code, "\(index)/code")
            let name = validator.text(input.name, "\(index)/name", maxLength: 100)
            if let population = input.population { _ = validator.range(population, "\(index)/population", 0...10_000_000) }
            if let code, let name { parsed.append((code, name, input.population)) }
        }
        var seen = Set<AreaCode>()
        for (index, area) in parsed.enumerated() {
            if !seen.insert(area.code).inserted { validator.fail("\(index)/code", "appears twice in this request") }
            if !access.covers(area.code) { validator.fail("\(index)/code", "is outside your scope (\(access.area?.rawValue ?? "city"))") }
        }
        try validator.check()
        // Parents before children, so the foreign key holds row by row.
        let areas = parsed.sorted { $0.code.level < $1.code.level || ($0.code.level == $1.code.level && $0.code < $1.code) }
        let inBatch = Set(areas.map(\.code))
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let missingParents = Set(areas.compactMap(\.code.parent)).subtracting(inBatch)
            let known = try await AreaDirectory(connection: connection, logger: dependencies.logger).levels(of: Array(missingParents))
            let orphans = missingParents.filter { known[$0] == nil }.sorted()
            guard orphans.isEmpty else {
                throw ProblemDetails.validation(orphans.prefix(20).map { .init(field: "parent", message: "unknown parent area \($0.rawValue): load it first or in the same request") })
            }
            try await connection.query(
                """
                INSERT INTO areas (code, parent, level, name, population)
                SELECT c, NULLIF(p, ''), l, n, NULLIF(pop, -1)
                FROM UNNEST(\(areas.map(\.code.rawValue))::text[], \(areas.map { $0.code.parent?.rawValue ?? "" })::text[],
                            \(areas.map(\.code.level.rawValue))::text[], \(areas.map(\.name))::text[], \(areas.map { $0.population ?? -1 })::int[])
                     WITH ORDINALITY AS a(c, p, l, n, pop, o)
                ORDER BY o
                ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, population = EXCLUDED.population
                """,
                logger: dependencies.logger
            )
            return try StoredResponse(json: ["loaded": areas.count])
        }
    }

    private func list(_ request: Request) async throws -> Response {
        let parent = request.uri.queryParameters["parent"].map(String.init)
        if let parent, AreaCode(parent) == nil {
            throw ProblemDetails.validation([.init(field: "parent", message: "must be an area code like 320505-004")])
        }
        var views: [AreaView] = []
        let query: PostgresQuery = parent.map {
            "SELECT code, parent, level, name, population FROM areas WHERE parent = \($0) ORDER BY code LIMIT 5000"
        } ?? "SELECT code, parent, level, name, population FROM areas WHERE parent IS NULL ORDER BY code"
        for try await (code, parent, level, name, population) in try await dependencies.client.query(query, logger: dependencies.logger)
            .decode((String, String?, String, String, Int?).self)
        {
            views.append(AreaView(code: code, parent: parent, level: level, name: name, population: population))
        }
        return try JSONResponse.make(["areas": views])
    }
}
