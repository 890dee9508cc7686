import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Recruitment calls (招募令): a station publishes one for an area; its public page counts
/// sign-ups against the headcount and gives the sign-up link.
struct RecruitmentCallRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/recruitment-calls") { request, context in try await publish(request, context) }
        router.get("/v1/recruitment-calls/{id}") { request, context in
            let id = try context.requireUUID("id", what: "recruitment call")
            let page = try await dependencies.client.withConnection { connection in
                try await RecruitmentCallStore(connection: connection, logger: dependencies.logger).page(id)
            }
            guard let page else { throw ProblemDetails(status: .notFound, detail: "No such recruitment call.") }
            return try JSONResponse.make(page)
        }
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
}
