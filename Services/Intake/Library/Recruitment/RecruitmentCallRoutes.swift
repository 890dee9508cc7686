import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Recruitment calls (招募令): a station publishes one for an area, edits or closes it; its
/// public page counts sign-ups against the headcount and gives the sign-up link; the station's
/// list shows every call of its area with the same counts.
struct RecruitmentCallRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/recruitment-calls") { request, context in try await publish(request, context) }
        router.get("/v1/recruitment-calls") { request, _ in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let items = try await dependencies.client.withConnection { connection in
                try await RecruitmentCallStore(connection: connection, logger: dependencies.logger).list(visibleTo: access)
            }
            return try JSONResponse.make(RecruitmentCallStore.Listed(items: items))
        }
        router.get("/v1/recruitment-calls/{id}") { request, context in
            let id = try context.requireUUID("id", what: "recruitment call")
            let page = try await dependencies.client.withConnection { connection in
                try await RecruitmentCallStore(connection: connection, logger: dependencies.logger).page(id)
            }
            guard let page else { throw ProblemDetails(status: .notFound, detail: "No such recruitment call.") }
            return try JSONResponse.make(page)
        }
        router.patch("/v1/recruitment-calls/{id}") { request, context in try await edit(request, context) }
        router.post("/v1/recruitment-calls/{id}/close") { request, context in try await close(request, context) }
    }

    private func publish(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: RecruitmentCallForm.self, context: context)
        let call = try form.validated()
        try Scope.require(access, covers: call.area)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let page = try await RecruitmentCallStore(connection: connection, logger: dependencies.logger).publish(call, by: access)
            return try StoredResponse(status: .created, json: page)
        }
    }

    private func edit(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "recruitment call")
        let (form, raw) = try await request.readJSON(as: RecruitmentCallEditForm.self, context: context)
        let edit = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let page = try await RecruitmentCallStore(connection: connection, logger: dependencies.logger).edit(id, edit, by: access)
            return try StoredResponse(json: page)
        }
    }

    private func close(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "recruitment call")
        return try await dependencies.writes.perform(request, context: context, body: []) { connection in
            let page = try await RecruitmentCallStore(connection: connection, logger: dependencies.logger).close(id, by: access)
            return try StoredResponse(json: page)
        }
    }
}
