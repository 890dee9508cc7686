import EventBus
import Foundation
import Hummingbird
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// Needs found on calls and visits (`/v1/residents/{id}/needs`, `/v1/needs/{id}`): each is
/// announced as `outreach.need.identified`, and intake turns it into a request. The request
/// intake shows withholds the resident's contact; whoever acts on it reads the contact here
/// (`/v1/needs/{id}/contact`), with a reason, logged like any read of the registry.
struct NeedRoutes {
    let dependencies: ServiceDependencies

    struct Need: Codable {
        var id: UUID
        var residentId: UUID
        var category: String
        var urgency: String
        var zone: String
        var source: String
        var details: JSONValue
        var status: String
        var requestId: UUID?
        var createdAt: Date
    }

    /// What acting on a need takes — who, where, how to reach them, what to bring — and no
    /// more of the registry's record (no ID number, carer, notes or categories).
    struct Contact: Codable {
        var needId: UUID
        var residentId: UUID
        var requestId: UUID?
        var category: String
        var name: String
        var compound: String
        var address: String
        var contactName: String
        var contactPhone: String
        var details: JSONValue
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/residents/{id}/needs") { request, context in try await identify(request, context) }
        router.get("/v1/needs/{id}") { request, context in try await show(request, context) }
        router.get("/v1/needs/{id}/contact") { request, context in try await contact(request, context) }
    }

    private func identify(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        guard let resident = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such resident.") }
        let (form, raw) = try await request.readJSON(as: NeedForm.self, context: context)
        let need = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            guard let compound = try await connection.query(
                "SELECT compound FROM outreach_residents WHERE id = \(resident) AND status = 'active'", logger: dependencies.logger
            ).decode(String.self).collectAll().first.flatMap(AreaCode.init) else {
                throw ProblemDetails(status: .notFound, detail: "No such resident.")
            }
            try Scope.requireVisible(access, compound, what: "resident")
            let id = try await NeedStore(connection: connection, logger: dependencies.logger)
                .identify(need, resident: resident, compound: compound, foundBy: access.subject)
            struct Identified: Codable { var id: UUID; var status: String }
            return try StoredResponse(status: .created, json: Identified(id: id, status: NeedStatus.identified.rawValue))
        }
    }

    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        guard let id = context.parameters.get("id", as: UUID.self),
            let (need, compound) = try await dependencies.client.query(
                """
                SELECT n.id, n.resident_id, n.category, n.urgency, n.zone, n.source, n.details::text, n.status, n.request_id, n.created_at, r.compound
                FROM outreach_needs n JOIN outreach_residents r ON r.id = n.resident_id WHERE n.id = \(id)
                """,
                logger: dependencies.logger
            ).decode((UUID, UUID, String, String, String, String, String, String, UUID?, Date, String).self).collectAll().first.map({ row in
                (Need(
                    id: row.0, residentId: row.1, category: row.2, urgency: row.3, zone: row.4, source: row.5,
                    details: (try? JSONParser.parse(Array(row.6.utf8))) ?? .null, status: row.7, requestId: row.8, createdAt: row.9
                ), row.10)
            }), let area = AreaCode(compound)
        else { throw ProblemDetails(status: .notFound, detail: "No such need.") }
        try Scope.requireVisible(access, area, what: "need")
        return try JSONResponse.make(need)
    }
}

extension NeedRoutes {
    /// The resident's contact for a need, for staff, callers and the dispatchers who act on
    /// the request intake filed for it: only with a stated reason (`?reason=`, 422 without),
    /// only within the caller's area (404 outside it), and logged in the registry's read log
    /// in the same transaction, so there is no read without its log line.
    func contact(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller, .dispatcher])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such need.") }
        var validator = FieldValidator()
        let reason = validator.text(request.uri.queryParameters["reason"].map(String.init), "reason", maxLength: 200)
        try validator.check()
        let contact = try await dependencies.client.transaction(logger: dependencies.logger) { connection -> Contact in
            guard let row = try await connection.query(
                """
                SELECT n.resident_id, n.request_id, n.category, n.details::text, r.name, r.compound, r.address, r.contact_name, r.contact_phone
                FROM outreach_needs n JOIN outreach_residents r ON r.id = n.resident_id WHERE n.id = \(id)
                """,
                logger: dependencies.logger
            ).decode((UUID, UUID?, String, String, String, String, String, String, String).self).collectAll().first, let area = AreaCode(row.5) else {
                throw ProblemDetails(status: .notFound, detail: "No such need.")
            }
            try Scope.requireVisible(access, area, what: "need")
            try await connection.query(
                """
                INSERT INTO outreach_record_reads (resident_id, reader, role, reason)
                VALUES (\(row.0), \(access.subject), \(access.role.rawValue), \(reason! + " (contact for need " + id.uuidString.lowercased() + ")"))
                """,
                logger: dependencies.logger
            )
            return Contact(
                needId: id, residentId: row.0, requestId: row.1, category: row.2, name: row.4, compound: row.5, address: row.6,
                contactName: row.7, contactPhone: row.8, details: (try? JSONParser.parse(Array(row.3.utf8))) ?? .object([:])
            )
        }
        return try JSONResponse.make(contact)
    }
}

/// The SQL of needs: recording one found on a call or visit, with its event.
struct NeedStore {
    let connection: PostgresConnection
    let logger: Logger

    func identify(_ need: IdentifiedNeed, resident: UUID, compound: AreaCode, foundBy: String) async throws -> UUID {
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO outreach_needs (id, resident_id, category, urgency, zone, details, source, found_by)
            VALUES (\(id), \(resident), \(need.category.rawValue), \(need.urgency.rawValue), \(need.zone.rawValue),
                    \(JSONValue.object(need.details).canonicalText)::jsonb, \(need.source.rawValue), \(foundBy))
            """,
            logger: logger
        )
        try await Outbox.append(OutreachEvents.needIdentified(id, resident: resident, compound: compound, need), on: connection, logger: logger)
        return id
    }
}

