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
        router.patch("/v1/residents/{id}") { request, context in try await edit(request, context) }
        router.post("/v1/residents/{id}/close") { request, context in try await close(request, context) }
        router.post("/v1/residents/{id}/reopen") { request, context in try await reopen(request, context) }
    }

    /// What an edit, a closing or a reopening answers: the record's id, status and the
    /// names of the fields changed — never the personal data just written.
    struct Changed: Codable {
        var id: UUID
        var status: String
        var changed: [String]
    }

    /// Edits an open record within the caller's area (and, when it moves, into a compound
    /// of their area), checked exactly like a registration.
    private func edit(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "resident")
        let (patch, raw) = try await request.readJSON(as: ResidentPatch.self, context: context)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = ResidentStore(connection: connection, logger: dependencies.logger)
            guard let (record, lifecycle) = try await store.lock(id), let current = AreaCode(record.compound) else {
                throw NotFound("resident")
            }
            try Scope.requireVisible(access, current, what: "resident")
            try lifecycle.requireEditable()
            let after = try patch.applied(to: record).validated()
            try Scope.require(access, covers: after.compound)
            try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("compound", after.compound)])
            let changed = after.changedFields(from: record)
            try await store.update(id, to: after, changed: changed, previousCompound: current)
            return try StoredResponse(json: Changed(id: id, status: lifecycle.status.rawValue, changed: changed))
        }
    }

    /// Closes a record with a reason (销册); what it ends is in ``ResidentStore/close(_:compound:_:)``.
    private func close(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "resident")
        let (form, raw) = try await request.readJSON(as: ResidentClosureForm.self, context: context)
        let closure = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = ResidentStore(connection: connection, logger: dependencies.logger)
            guard var (record, lifecycle) = try await store.lock(id), let compound = AreaCode(record.compound) else {
                throw NotFound("resident")
            }
            try Scope.requireVisible(access, compound, what: "resident")
            try lifecycle.close()
            record.status = lifecycle.status.rawValue
            try await store.close(id, compound: compound, closure)
            return try StoredResponse(json: Changed(id: id, status: record.status, changed: ["status"]))
        }
    }

    /// Reopens a closed record: the resident is watched over again from now.
    private func reopen(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "resident")
        let body = try await request.bodyBytes(context: context)
        return try await dependencies.writes.perform(request, context: context, body: body) { connection in
            let store = ResidentStore(connection: connection, logger: dependencies.logger)
            guard var (record, lifecycle) = try await store.lock(id), let compound = AreaCode(record.compound) else {
                throw NotFound("resident")
            }
            try Scope.requireVisible(access, compound, what: "resident")
            try lifecycle.reopen()
            record.status = lifecycle.status.rawValue
            try await store.reopen(id, record: record)
            return try StoredResponse(json: Changed(id: id, status: record.status, changed: ["status"]))
        }
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
