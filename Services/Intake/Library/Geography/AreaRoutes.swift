import Foundation
import Hummingbird
import Models
import ServiceKit

/// `PUT /v1/areas` loads the district → street → community → compound tree (operators);
/// `GET /v1/areas?parent=` browses it (public: names and codes of places are not personal).
struct AreaRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.put("/v1/areas") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator])
            let (forms, raw) = try await request.readJSON(as: [AreaForm].self, context: context)
            let areas = try AreaForm.validated(forms, scope: access)
            return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
                try await AreaStore(connection: connection, logger: dependencies.logger).load(areas)
                return try StoredResponse(json: ["loaded": areas.count])
            }
        }
        router.get("/v1/areas") { request, _ in
            let parentText = request.uri.queryParameters["parent"].map(String.init)
            let parent = parentText.flatMap(AreaCode.init)
            if parentText != nil && parent == nil {
                throw ProblemDetails.validation([.init(field: "parent", message: "must be an area code like 320505-004")])
            }
            let areas = try await dependencies.client.withConnection { connection in
                try await AreaStore(connection: connection, logger: dependencies.logger).children(of: parent)
            }
            return try JSONResponse.make(["areas": areas])
        }
    }
}
