import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// Splitting a scarce lot across the communities of an area (`POST /v1/allocation-plans`),
/// by need read from the other services' tables: households in sealed compounds with open
/// requests (intake), residents on the vulnerable registry (outreach), and open requests.
/// The plan is a proposal with its reasoning per community; nothing is moved.
struct AllocationRoutes {
    let dependencies: ServiceDependencies

    struct PlanInput: Decodable {
        var area: String?
        var quantity: Int?
        /// Counts only open requests of this category (groceries for vegetable parcels…).
        var category: String?
        var weights: Allocation.Weights?
    }

    struct Plan: Codable {
        struct Share: Codable { var community: String; var name: String; var points: Int; var quantity: Int; var reasoning: String }
        var area: String
        var quantity: Int
        var weights: Allocation.Weights
        var shares: [Share]
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/allocation-plans") { request, context in try await plan(request, context) }
    }

    private func plan(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, _) = try await request.readJSON(as: PlanInput.self, context: context)
        var validator = FieldValidator()
        let area = validator.area(input.area, "area")
        let quantity = validator.range(input.quantity, "quantity", 1...10_000_000)
        let weights = input.weights ?? Allocation.Weights()
        let category: WorkOrderCategory? = validator.oneOf(input.category, "category", optional: true)
        if [weights.sealedHousehold, weights.vulnerableResident, weights.openRequest].contains(where: { !(0...1000).contains($0) }) {
            validator.fail("weights", "each weight is between 0 and 1000")
        }
        try validator.check()
        try Scope.require(access, covers: area!)
        let pattern = area!.rawValue + "%"
        var names: [String: String] = [:]
        let needs = try await dependencies.client.query(
            """
            SELECT c.code, c.name,
                   (SELECT count(DISTINCT household_key) FROM requests r WHERE r.compound LIKE c.code || '-%' AND r.zone = 'sealed'
                      AND r.status NOT IN ('cancelled', 'merged', 'delivered', 'completed', 'followed-up'))::int,
                   (SELECT count(*) FROM outreach_residents o WHERE o.compound LIKE c.code || '-%' AND o.status = 'active')::int,
                   (SELECT count(*) FROM requests r WHERE r.compound LIKE c.code || '-%' AND (\(category?.rawValue ?? "") = '' OR r.category = \(category?.rawValue ?? ""))
                      AND r.status NOT IN ('cancelled', 'merged', 'delivered', 'completed', 'followed-up'))::int
            FROM areas c WHERE c.level = 'community' AND c.code LIKE \(pattern) ORDER BY c.code
            """,
            logger: dependencies.logger
        ).decode((String, String, Int, Int, Int).self).collectAll().map { code, name, sealed, vulnerable, open in
            names[code] = name
            return Allocation.Need(community: code, sealedHouseholds: sealed, vulnerableResidents: vulnerable, openRequests: open)
        }
        guard !needs.isEmpty else { throw ProblemDetails.validation([.init(field: "area", message: "no communities under \(area!.rawValue)")]) }
        let allocation = Allocation(total: quantity!, needs: needs, weights: weights)
        guard allocation.shares.contains(where: { $0.points > 0 }) else {
            throw ProblemDetails.validation([.init(field: "area", message: "no recorded need under \(area!.rawValue) (sealed households, registry, open requests): nothing to split by")])
        }
        return try JSONResponse.make(Plan(
            area: area!.rawValue, quantity: quantity!, weights: weights,
            shares: allocation.shares.map { .init(community: $0.community, name: names[$0.community] ?? "", points: $0.points, quantity: $0.quantity, reasoning: $0.reasoning) }
        ))
    }
}
