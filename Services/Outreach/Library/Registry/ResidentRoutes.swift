import EventBus
import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// The registry of vulnerable residents (`/v1/residents`): entered by station staff, read
/// by callers and staff within their area. A full record is read only with a stated
/// reason, and every such read is logged (who, when, why) for the record's owner to see.
struct ResidentRoutes {
    let dependencies: ServiceDependencies

    /// What a list shows: enough to pick up the phone, nothing more (no address, no ID number).
    struct ListItem: Codable {
        var id: UUID
        var cursor: Int64
        var name: String
        var compound: String
        var categories: [String]
        var careLevel: String
        var contactPhone: String
        var status: String
    }

    struct Record: Codable {
        var id: UUID
        var name: String
        var idNumber: String?
        var birthYear: Int
        var compound: String
        var address: String
        var categories: [String]
        var careLevel: String
        var consent: Bool
        var contactName: String
        var contactPhone: String
        var carerName: String?
        var notes: String?
        var status: String
        var createdAt: Date
    }

    struct RecordRead: Codable {
        var at: Date
        var reader: String
        var role: String
        var reason: String
    }

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
            let id = UUID()
            try await connection.query(
                """
                INSERT INTO outreach_residents (id, name, id_number, birth_year, compound, address, categories, care_level, consent,
                                                contact_name, contact_phone, carer_name, notes)
                VALUES (\(id), \(resident.name), \(resident.idNumber?.value), \(resident.birthYear), \(resident.compound.rawValue),
                        \(resident.address), \(resident.categories.map(\.rawValue)), \(resident.careLevel.rawValue), \(resident.consent),
                        \(resident.contactName), \(resident.contactPhone.digits), \(resident.carerName), \(resident.notes))
                """,
                logger: dependencies.logger
            )
            try await FollowUpStore(connection: connection, logger: dependencies.logger).start(id)
            try await Outbox.append(OutreachEvents.residentRegistered(id, resident), on: connection, logger: dependencies.logger)
            struct Registered: Codable { var id: UUID }
            return try StoredResponse(status: .created, json: Registered(id: id))
        }
    }

    private func list(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        let query = try ListQuery(request, access: access, statuses: RecordStatus.self)
        var items: [ListItem] = []
        for try await (id, seq, name, compound, categories, careLevel, phone, status) in try await dependencies.client.query(
            query.sql(columns: "id, seq, name, compound, categories, care_level, contact_phone, status", from: "outreach_residents", areaColumn: "compound"),
            logger: dependencies.logger
        ).decode((UUID, Int64, String, String, [String], String, String, String).self) {
            items.append(ListItem(
                id: id, cursor: seq, name: name, compound: compound, categories: categories, careLevel: careLevel,
                contactPhone: MobileNumber(phone)?.masked ?? "***", status: status
            ))
        }
        return try JSONResponse.make(Page(items: items, limit: query.limit, cursor: \.cursor))
    }

    /// The whole record, for a caller in the record's area who says why; the read is logged
    /// in the same transaction, so there is no read without its log line.
    private func read(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such resident.") }
        var validator = FieldValidator()
        let reason = validator.text(request.uri.queryParameters["reason"].map(String.init), "reason", maxLength: 200)
        try validator.check()
        let record = try await dependencies.client.transaction(logger: dependencies.logger) { connection -> Record in
            guard let record = try await Self.record(id, on: connection, logger: dependencies.logger) else {
                throw ProblemDetails(status: .notFound, detail: "No such resident.")
            }
            try Scope.requireVisible(access, AreaCode(record.compound)!, what: "resident")
            try await connection.query(
                "INSERT INTO outreach_record_reads (resident_id, reader, role, reason) VALUES (\(id), \(access.subject), \(access.role.rawValue), \(reason!))",
                logger: dependencies.logger
            )
            return record
        }
        return try JSONResponse.make(record)
    }

    private func reads(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        guard let id = context.parameters.get("id", as: UUID.self),
            let compound = try await dependencies.client.query(
                "SELECT compound FROM outreach_residents WHERE id = \(id)", logger: dependencies.logger
            ).decode(String.self).collectAll().first.flatMap(AreaCode.init)
        else { throw ProblemDetails(status: .notFound, detail: "No such resident.") }
        try Scope.requireVisible(access, compound, what: "resident")
        var entries: [RecordRead] = []
        for try await (at, reader, role, reason) in try await dependencies.client.query(
            "SELECT at, reader, role, reason FROM outreach_record_reads WHERE resident_id = \(id) ORDER BY at, seq", logger: dependencies.logger
        ).decode((Date, String, String, String).self) {
            entries.append(RecordRead(at: at, reader: reader, role: role, reason: reason))
        }
        return try JSONResponse.make(entries)
    }

    static func record(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Record? {
        try await connection.query(
            """
            SELECT id, name, id_number, birth_year, compound, address, categories, care_level, consent, contact_name, contact_phone,
                   carer_name, notes, status, created_at
            FROM outreach_residents WHERE id = \(id)
            """,
            logger: logger
        ).decode((UUID, String, String?, Int, String, String, [String], String, Bool, String, String, String?, String?, String, Date).self)
            .collectAll().first.map { row in
                Record(
                    id: row.0, name: row.1, idNumber: row.2, birthYear: row.3, compound: row.4, address: row.5, categories: row.6,
                    careLevel: row.7, consent: row.8, contactName: row.9, contactPhone: row.10, carerName: row.11, notes: row.12,
                    status: row.13, createdAt: row.14
                )
            }
    }
}
