import EventBus
import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// Residents' requests (工单): filed by the resident (public, rate-limited) or on their
/// behalf, cancelled, merged when duplicated, and read within the caller's area.
struct RequestRoutes {
    let dependencies: ServiceDependencies
    let publicLimiter: RateLimiter
    let duplicateWindow: Duration

    struct ReasonInput: Decodable {
        var reason: String?
    }

    struct MergeInput: Decodable {
        var into: UUID?
    }

    struct Item: Codable {
        var id: UUID
        var cursor: Int64
        var category: String
        var details: JSONValue
        var urgency: String
        var compound: String
        var address: String
        var zone: String
        var contactName: String
        var contactPhone: String
        var filedBy: String
        var status: String
        var probableDuplicateOf: UUID?
        var mergedInto: UUID?
        var createdAt: Date
        var updatedAt: Date
        /// Set when outreach found the need: the resident's contact, address and medicine are
        /// then withheld here and read from outreach with a reason (see `OutreachNeedCopy`).
        var outreachNeedId: UUID?
    }

    struct HistoryEntry: Codable {
        var at: Date
        var status: String
        var cause: String
        var actor: String
    }

    struct Detail: Codable {
        var request: Item
        var history: [HistoryEntry]
        /// The earlier request this one probably repeats, shown side by side.
        var original: Item?
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/requests") { request, context in try await create(request, context) }
        router.post("/v1/requests/{id}/cancel") { request, context in try await cancel(request, context) }
        router.post("/v1/requests/{id}/merge") { request, context in try await merge(request, context) }
        router.get("/v1/requests") { request, _ in try await list(request) }
        router.get("/v1/requests/{id}") { request, context in try await detail(request, context) }
    }

    private func create(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access: AccessToken?
        if request.headers[.authorization] != nil {
            access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher, .caller])
        } else {
            // Staff, dispatchers and callers file requests all day: only anonymous residents are limited.
            try publicLimiter.admit(context)
            access = nil
        }
        let actor = access?.subject ?? "resident"
        let (form, raw) = try await request.readJSON(as: RequestForm.self, context: context)
        let new = try form.validated()
        if access == nil && new.filedBy != .resident {
            throw ProblemDetails.validation([.init(field: "filedBy", message: "without a token a request is filed by the resident")])
        }
        if let access { try Scope.require(access, covers: new.compound) }
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("compound", new.compound)])
            let (id, original) = try await RequestStore(connection: connection, logger: dependencies.logger).create(new, actor: actor, window: duplicateWindow)
            struct Created: Codable { var id: UUID; var status: String; var probableDuplicateOf: UUID? }
            return try StoredResponse(status: .created, json: Created(id: id, status: WorkOrderStatus.open.rawValue, probableDuplicateOf: original))
        }
    }

    private func cancel(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such request.") }
        let (input, raw) = try await request.readJSON(as: ReasonInput.self, context: context)
        var validator = FieldValidator()
        let reason = validator.text(input.reason, "reason", maxLength: 500)
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = RequestStore(connection: connection, logger: dependencies.logger)
            guard var summary = try await store.lock(id) else { throw ProblemDetails(status: .notFound, detail: "No such request.") }
            try Scope.requireVisible(access, summary.compound, what: "request")
            let previous = summary.status
            var progress = WorkOrderProgress(status: previous)
            guard progress.cancel() else {
                throw ProblemDetails(status: .conflict, title: "Not possible now", detail: "A request that is \(previous.rawValue) can no longer be cancelled.")
            }
            summary.status = progress.status
            try await store.update(summary, from: previous, cause: "cancelled: \(reason!)", actor: access.subject, topic: "intake.request.cancelled")
            struct Cancelled: Codable { var id: UUID; var status: String }
            return try StoredResponse(json: Cancelled(id: id, status: summary.status.rawValue))
        }
    }

    private func merge(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such request.") }
        let (input, raw) = try await request.readJSON(as: MergeInput.self, context: context)
        var validator = FieldValidator()
        let target = validator.required(input.into, "into")
        if target == id { validator.fail("into", "must be another request") }
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = RequestStore(connection: connection, logger: dependencies.logger)
            // Lock both in id order so two opposite merges cannot deadlock.
            let ordered = [id, target!].sorted { $0.uuidString < $1.uuidString }
            var locked: [UUID: WorkOrderSummary] = [:]
            for each in ordered { locked[each] = try await store.lock(each) }
            guard var duplicate = locked[id], let original = locked[target!] else { throw ProblemDetails(status: .notFound, detail: "No such request.") }
            try Scope.requireVisible(access, duplicate.compound, what: "request")
            try Scope.requireVisible(access, original.compound, what: "request")
            guard !original.status.isClosed else {
                throw ProblemDetails(status: .conflict, detail: "Cannot merge into a request that is \(original.status.rawValue).")
            }
            let previous = duplicate.status
            var progress = WorkOrderProgress(status: previous)
            guard progress.merge() else {
                throw ProblemDetails(status: .conflict, detail: "A request that is \(previous.rawValue) cannot be merged.")
            }
            duplicate.status = progress.status
            try await connection.query("UPDATE requests SET merged_into = \(target!) WHERE id = \(id)", logger: dependencies.logger)
            try await store.update(
                duplicate, from: previous, cause: "merged into \(target!.uuidString.lowercased())", actor: access.subject,
                topic: "intake.request.merged", extra: ["mergedInto": .string(target!.uuidString.lowercased())]
            )
            try await store.history(target!, status: original.status, cause: "absorbed duplicate \(id.uuidString.lowercased())", actor: access.subject)
            struct Merged: Codable { var id: UUID; var status: String; var mergedInto: UUID }
            return try StoredResponse(json: Merged(id: id, status: duplicate.status.rawValue, mergedInto: target!))
        }
    }

    private func list(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher, .caller])
        let query = try ListQuery(request, access: access, statuses: WorkOrderStatus.self)
        var items: [Item] = []
        for try await row in try await dependencies.client.query(
            query.sql(columns: Self.columns, from: "requests", areaColumn: "compound"), logger: dependencies.logger
        ).decode(Row.self) {
            items.append(Self.item(row, masked: true))
        }
        return try JSONResponse.make(Page(items: items, limit: query.limit, cursor: \.cursor))
    }

    private func detail(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher, .caller])
        guard let id = context.parameters.get("id", as: UUID.self), let item = try await fetch(id) else {
            throw ProblemDetails(status: .notFound, detail: "No such request.")
        }
        try Scope.requireVisible(access, AreaCode(item.compound)!, what: "request")
        var history: [HistoryEntry] = []
        for try await (at, status, cause, actor) in try await dependencies.client.query(
            "SELECT at, status, cause, actor FROM request_history WHERE request_id = \(id) ORDER BY at", logger: dependencies.logger
        ).decode((Date, String, String, String).self) {
            history.append(HistoryEntry(at: at, status: status, cause: cause, actor: actor))
        }
        let original = try await item.probableDuplicateOf.asyncMap { try await fetch($0) } ?? nil
        return try JSONResponse.make(Detail(request: item, history: history, original: original))
    }

    private func fetch(_ id: UUID) async throws -> Item? {
        try await dependencies.client.query("SELECT \(unescaped: Self.columns) FROM requests WHERE id = \(id)", logger: dependencies.logger)
            .decode(Row.self).collectAll().first.map { Self.item($0, masked: false) }
    }

    private static let columns = """
        id, seq, category, details::text, urgency, compound, address, zone, contact_name, contact_phone, filed_by, status,
        probable_duplicate_of, merged_into, created_at, updated_at, outreach_need_id
        """
    private typealias Row = (UUID, Int64, String, String, String, String, String, String, String, String, String, String, UUID?, UUID?, Date, Date, UUID?)

    private static func item(_ row: Row, masked: Bool) -> Item {
        let (id, seq, category, details, urgency, compound, address, zone, name, phone, filedBy, status, duplicate, merged, created, updated, need) = row
        let item = Item(
            id: id, cursor: seq, category: category, details: (try? JSONParser.parse(Array(details.utf8))) ?? .null, urgency: urgency,
            compound: compound, address: address, zone: zone, contactName: name,
            contactPhone: masked ? (MobileNumber(phone)?.masked ?? "***") : phone, filedBy: filedBy, status: status,
            probableDuplicateOf: duplicate, mergedInto: merged, createdAt: created, updatedAt: updated, outreachNeedId: need
        )
        return need == nil ? item : OutreachNeedCopy.shown(item)
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
