import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Posts at testing sites, checkpoints and supply points (`/v1/posts`), and their shifts.
struct PostRoutes {
    let dependencies: ServiceDependencies

    struct Created: Codable { var id: UUID }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/posts") { request, context in try await create(request, context) }
        router.post("/v1/posts/{id}/shifts") { request, context in try await addShift(request, context) }
    }

    private func create(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: PostForm.self, context: context)
        let post = try form.validated()
        try Scope.require(access, covers: post.area)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("area", post.area)])
            let id = try await PostStore(connection: connection, logger: dependencies.logger).create(post)
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    private func addShift(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let post = try context.requireUUID("id", what: "post")
        let (form, raw) = try await request.readJSON(as: ShiftForm.self, context: context)
        let shift = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = PostStore(connection: connection, logger: dependencies.logger)
            guard let area = try await store.area(of: post) else { throw ProblemDetails(status: .notFound, detail: "No such post.") }
            try Scope.requireVisible(access, area, what: "post")
            let id = try await store.addShift(shift, to: post)
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }
}
