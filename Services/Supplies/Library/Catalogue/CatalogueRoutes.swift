import Foundation
import Hummingbird
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The catalogue of items (with units; medicines with drug name, strength and form) and the
/// depots that hold them: charity supermarkets, social-work stations, community stores.
struct CatalogueRoutes {
    let dependencies: ServiceDependencies

    enum ItemCategory: String, CaseIterable, Codable {
        case protectiveEquipment = "protective-equipment"
        case food, medicine
        case testKit = "test-kit"
        case disinfectant, other
    }

    enum DepotKind: String, CaseIterable, Codable {
        case charitySupermarket = "charity-supermarket"
        case socialWorkStation = "social-work-station"
        case communityStore = "community-store"
    }

    struct ItemInput: Decodable {
        var name: String?
        var unit: String?
        var category: String?
        var drugName: String?
        var strength: String?
        var form: String?
    }

    struct Item: Codable {
        var id: UUID
        var name: String
        var unit: String
        var category: String
        var drugName: String?
        var strength: String?
        var form: String?
    }

    struct DepotInput: Decodable {
        var name: String?
        var kind: String?
        var area: String?
    }

    struct Depot: Codable {
        var id: UUID
        var name: String
        var kind: String
        var area: String
    }

    struct Created: Codable { var id: UUID }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/items") { request, context in try await createItem(request, context) }
        router.get("/v1/items") { request, _ in try await items(request) }
        router.post("/v1/depots") { request, context in try await createDepot(request, context) }
        router.get("/v1/depots") { request, _ in try await depots(request) }
    }

    private func createItem(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        _ = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: ItemInput.self, context: context)
        var validator = FieldValidator()
        let name = validator.text(input.name, "name", maxLength: 100)
        let unit = validator.text(input.unit, "unit", maxLength: 20)
        let category: ItemCategory? = validator.oneOf(input.category, "category")
        let drugName = validator.text(input.drugName, "drugName", maxLength: 100, optional: category != .medicine)
        let strength = validator.text(input.strength, "strength", maxLength: 50, optional: category != .medicine)
        let form = validator.text(input.form, "form", maxLength: 50, optional: category != .medicine)
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let id = UUID()
            try await connection.query(
                """
                INSERT INTO supply_items (id, name, unit, category, drug_name, strength, form)
                VALUES (\(id), \(name!), \(unit!), \(category!.rawValue), \(drugName), \(strength), \(form))
                """,
                logger: dependencies.logger
            )
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    private func items(_ request: Request) async throws -> Response {
        _ = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        var items: [Item] = []
        for try await (id, name, unit, category, drug, strength, form) in try await dependencies.client.query(
            "SELECT id, name, unit, category, drug_name, strength, form FROM supply_items ORDER BY category, name", logger: dependencies.logger
        ).decode((UUID, String, String, String, String?, String?, String?).self) {
            items.append(Item(id: id, name: name, unit: unit, category: category, drugName: drug, strength: strength, form: form))
        }
        return try JSONResponse.make(items)
    }

    private func createDepot(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: DepotInput.self, context: context)
        var validator = FieldValidator()
        let name = validator.text(input.name, "name", maxLength: 100)
        let kind: DepotKind? = validator.oneOf(input.kind, "kind")
        let area = validator.area(input.area, "area")
        try validator.check()
        try Scope.require(access, covers: area!)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("area", area)])
            let id = UUID()
            try await connection.query(
                "INSERT INTO depots (id, name, kind, area) VALUES (\(id), \(name!), \(kind!.rawValue), \(area!.rawValue))", logger: dependencies.logger
            )
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    private func depots(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        var depots: [Depot] = []
        for try await (id, name, kind, area) in try await dependencies.client.query(
            "SELECT id, name, kind, area FROM depots WHERE area LIKE \(access.areaPattern) ORDER BY area, name", logger: dependencies.logger
        ).decode((UUID, String, String, String).self) {
            depots.append(Depot(id: id, name: name, kind: kind, area: area))
        }
        return try JSONResponse.make(depots)
    }
}

/// A depot, checked against the caller's scope: stock work happens only in depots of one's area.
struct DepotAccess {
    let connection: PostgresConnection
    let logger: Logger

    /// The depot's area. When it does not exist or lies outside `access`'s scope: 404 for a
    /// depot named in the path or query, 422 naming `field` for one named in the body.
    func require(_ depot: UUID, _ access: AccessToken, field: String? = nil) async throws -> AreaCode {
        let area = try await connection.query("SELECT area FROM depots WHERE id = \(depot)", logger: logger)
            .decode(String.self).collectAll().first.flatMap(AreaCode.init)
        guard let area, access.covers(area) else {
            if let field { throw ProblemDetails.validation([.init(field: field, message: "no such depot in your area")]) }
            throw ProblemDetails(status: .notFound, detail: "No such depot.")
        }
        return area
    }
}
