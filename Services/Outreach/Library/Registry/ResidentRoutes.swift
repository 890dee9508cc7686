import Foundation
import Hummingbird
import Models
import ServiceKit

/// The registry of vulnerable residents (`/v1/residents`): entered by station staff, read
/// by callers and staff within their area. A full record is read only with a stated
/// reason, and every such read is logged (who, when, why) for the record's owner to see.
struct ResidentRoutes {
    let dependencies: ServiceDependencies

    enum RecordStatus: String, CaseIterable { case active, closed }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/residents") { request, context in try await register(request, context) }
        router.get("/v1/residents") { request, _ in try await list(request) }
        router.get("/v1/residents/{id}") { request, context in try await read(request, context) }
        router.get("/v1/residents/{id}/reads") { request, context in try await reads(request, context) }
    }

    private func register(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: ResidentForm.self, context: context)
        let resident = try form.validated()
        try Scope.require(access, covers: resident.compound)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("compound", resident.compound)])
            let id = try await ResidentStore(connection: connection, logger: dependencies.logger).register(resident)
            struct Registered: Codable { var id: UUID }
            return try StoredResponse(status: .created, json: Registered(id: id))
        }
    }

    private func list(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        let query = try ListQuery(request, access: access, statuses: RecordStatus.self)
        let items = try await ResidentQueries(client: dependencies.client, logger: dependencies.logger).list(query)
        return try JSONResponse.make(Page(items: items, limit: query.limit, cursor: \.cursor))
    }

    /// The whole record, for a caller in the record's area who says why; the read is logged
    /// in the same transaction, so there is no read without its log line.
    private func read(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        let id = try context.requireUUID("id", what: "resident")
        let reason = try ReadReason(request).text
        let record = try await dependencies.client.transaction(logger: dependencies.logger) { connection -> ResidentRecord in
            guard let record = try await ResidentStore(connection: connection, logger: dependencies.logger).record(id),
                let area = AreaCode(record.compound)
            else { throw ProblemDetails(status: .notFound, detail: "No such resident.") }
            try Scope.requireVisible(access, area, what: "resident")
            try await RegistryReads(connection: connection, logger: dependencies.logger).log(resident: id, by: access, reason: reason)
            return record
        }
        return try JSONResponse.make(record)
    }

    private func reads(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "resident")
        let queries = ResidentQueries(client: dependencies.client, logger: dependencies.logger)
        guard let compound = try await queries.compound(of: id) else {
            throw ProblemDetails(status: .notFound, detail: "No such resident.")
        }
        try Scope.requireVisible(access, compound, what: "resident")
        return try JSONResponse.make(try await queries.reads(of: id))
    }
}
