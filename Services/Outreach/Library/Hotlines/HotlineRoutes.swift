import Foundation
import Hummingbird
import Models
import ServiceKit

/// The log of inbound calls to the psychological-support and service hotlines
/// (`/v1/hotline-calls`): topic, duration and referral, and the caller's identity only when
/// they gave it — many ring precisely because they can stay anonymous.
struct HotlineRoutes {
    let dependencies: ServiceDependencies

    enum NoStatus: String, CaseIterable { case none }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/hotline-calls") { request, context in try await log(request, context) }
        router.get("/v1/hotline-calls") { request, _ in try await list(request) }
    }

    /// A resident named must be on the registry within the operator's area (422 otherwise).
    private func log(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        let (form, raw) = try await request.readJSON(as: HotlineForm.self, context: context)
        let call = try form.validated()
        try Scope.require(access, covers: call.area)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            if let resident = call.resident {
                let compound = try await ResidentStore(connection: connection, logger: dependencies.logger).compound(of: resident)
                guard let compound, access.covers(compound) else {
                    throw ProblemDetails.validation([.init(field: "residentId", message: "no such resident in your area")])
                }
            }
            let id = try await HotlineStore(connection: connection, logger: dependencies.logger).log(call, takenBy: access.subject)
            struct Created: Codable { var id: UUID }
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    private func list(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let query = try ListQuery(request, access: access, statuses: NoStatus.self)
        let entries = try await HotlineQueries(client: dependencies.client, logger: dependencies.logger).list(query)
        return try JSONResponse.make(Page(items: entries, limit: query.limit, cursor: \.cursor))
    }
}
