import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Tubes: a lab's result for a tube, and the tube as staff read it — for a positive pooled
/// tube, the residents to call back for a single-tube retest.
struct TubeRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/tubes/{barcode}/result") { request, context in try await record(request, context) }
        router.get("/v1/tubes/{barcode}") { request, context in try await read(request, context) }
    }

    /// The barcode in the path, or 404: a path that holds no barcode names no tube.
    private static func barcode(_ context: ServiceRequestContext) throws(ProblemDetails) -> String {
        guard let value = context.parameters.get("barcode"), (6...32).contains(value.utf8.count),
            value.utf8.allSatisfy(CheckinInput.isCodeByte)
        else { throw ProblemDetails(status: .notFound, detail: "No such tube.") }
        return value
    }

    private func record(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let tube = try Self.barcode(context)
        let (form, raw) = try await request.readJSON(as: TubeResultForm.self, context: context)
        let result = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let read = try await TubeStore(connection: connection, logger: dependencies.logger).record(result, for: tube, by: access)
            return try StoredResponse(json: read)
        }
    }

    private func read(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let tube = try Self.barcode(context)
        let read = try await dependencies.client.withConnection { connection in
            try await TubeStore(connection: connection, logger: dependencies.logger).tube(tube, visibleTo: access)
        }
        guard let read else { throw ProblemDetails(status: .notFound, detail: "No such tube.") }
        return try JSONResponse.make(read)
    }
}
