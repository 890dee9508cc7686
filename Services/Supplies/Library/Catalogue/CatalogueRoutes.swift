import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// The catalogue of items (with units; medicines with drug name, strength and form) and the
/// depots that hold them: charity supermarkets, social-work stations, community stores.
struct CatalogueRoutes {
    let dependencies: ServiceDependencies

    struct Created: Codable { var id: UUID }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/items") { request, context in try await createItem(request, context) }
        router.get("/v1/items") { request, _ in try await items(request) }
        router.post("/v1/depots") { request, context in try await createDepot(request, context) }
        router.get("/v1/depots") { request, _ in try await depots(request) }
    }

    private func createItem(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        _ = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: ItemForm.self, context: context)
        let item = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let id = try await CatalogueStore(connection: connection, logger: dependencies.logger).create(item)
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    private func items(_ request: Request) async throws -> Response {
        _ = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let items = try await dependencies.client.withConnection { connection in
            try await CatalogueStore(connection: connection, logger: dependencies.logger).items()
        }
        return try JSONResponse.make(items)
    }

    private func createDepot(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: DepotForm.self, context: context)
        let depot = try form.validated()
        try Scope.require(access, covers: depot.area)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let id = try await CatalogueStore(connection: connection, logger: dependencies.logger).create(depot)
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    private func depots(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let depots = try await dependencies.client.withConnection { connection in
            try await CatalogueStore(connection: connection, logger: dependencies.logger).depots(visibleTo: access)
        }
        return try JSONResponse.make(depots)
    }
}
