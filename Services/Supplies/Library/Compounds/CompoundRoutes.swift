import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Compounds' control status as the street reports it (`/v1/compounds`): sealed, controlled
/// or precaution, with the household count the allocation splits by.
struct CompoundRoutes {
    let dependencies: ServiceDependencies

    struct CompoundPage: Codable {
        var items: [CompoundStore.Compound]
        /// Pass as `after` for the next page; absent on the last page.
        var next: String?
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/compounds") { request, _ in try await list(request) }
        router.get("/v1/compounds/{code}") { request, context in try await show(request, context) }
        router.put("/v1/compounds/{code}") { request, context in try await report(request, context) }
    }

    /// Street staff (or an operator) report a compound of their area; 403 outside it.
    private func report(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let code = try Self.compound(context)
        let (form, raw) = try await request.readJSON(as: CompoundForm.self, context: context)
        let report = try form.validated()
        try Scope.require(access, covers: code)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let compound = try await CompoundStore(connection: connection, logger: dependencies.logger).set(report, for: code, by: access)
            return try StoredResponse(json: compound)
        }
    }

    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let code = try Self.compound(context)
        try Scope.requireVisible(access, code, what: "compound")
        let detail = try await dependencies.client.withConnection { connection in
            try await CompoundStore(connection: connection, logger: dependencies.logger).read(code)
        }
        guard let detail else { throw ProblemDetails(status: .notFound, detail: "No such compound.") }
        return try JSONResponse.make(detail)
    }

    /// The compounds under `area` (default: the caller's), by code, `limit` (1–1000, default
    /// 500) at a time after the code `after`; `status` keeps those last reported with it.
    private func list(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let parameters = request.uri.queryParameters
        var validator = FieldValidator()
        let area = validator.area(parameters["area"].map(String.init), "area", optional: true)
        let status: ZoneStatus? = validator.oneOf(parameters["status"].map(String.init), "status", optional: true)
        let limit = validator.range(parameters["limit"].map { Int(String($0)) ?? 0 } ?? 500, "limit", 1...1000) ?? 500
        let after = parameters["after"].map(String.init) ?? ""
        // A compound's code, or nothing: any other text (a NUL byte, say) never reaches the database.
        if !after.isEmpty && AreaCode(after) == nil { validator.fail("after", "must be the `next` of the previous page") }
        try validator.check()
        if let area { try Scope.require(access, covers: area) }
        let pattern = area.map { $0.rawValue + "%" } ?? access.areaPattern
        let items = try await dependencies.client.withConnection { connection in
            try await CompoundStore(connection: connection, logger: dependencies.logger).list(
                pattern: pattern, status: status, after: after, limit: limit)
        }
        return try JSONResponse.make(CompoundPage(items: items, next: items.count == limit ? items.last?.code : nil))
    }

    /// The compound code in the path; 404 when it is not one.
    private static func compound(_ context: ServiceRequestContext) throws(ProblemDetails) -> AreaCode {
        guard let text = context.parameters.get("code"), let code = AreaCode(text), code.level == .compound else {
            throw ProblemDetails(status: .notFound, detail: "No such compound.")
        }
        return code
    }
}
