import EventBus
import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// Notices and guides (`/v1/notices`): a text in Mandarin and, where the station wrote them,
/// the local dialect or English, for an audience (residents, volunteers, or one registry
/// category of an area). Publishing announces the texts and the audience so SMS or WeChat
/// gateways deliver them; readers' acknowledgements are counted per language.
struct NoticeRoutes {
    let dependencies: ServiceDependencies
    /// Acknowledgements are public: limited per client address, like intake's public forms.
    var readLimiter = RateLimiter(perMinute: 120, burst: 30)

    enum Audience: String, CaseIterable, Codable {
        case residents, volunteers
        case registryCategory = "registry-category"
    }

    struct Input: Decodable {
        var title: String?
        var area: String?
        var audience: String?
        var category: String?
        var variants: [String: String]?
    }

    struct ReadInput: Decodable {
        var reader: String?
        var language: String?
    }

    struct Notice: Codable {
        var id: UUID
        var title: String
        var area: String
        var audience: String
        var category: String?
        var language: String
        var text: String
        var languages: [String]
        var publishedAt: Date?
        var reads: [String: Int]
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/notices") { request, context in try await create(request, context) }
        router.post("/v1/notices/{id}/publish") { request, context in try await publish(request, context) }
        router.get("/v1/notices/{id}") { request, context in try await show(request, context) }
        router.post("/v1/notices/{id}/reads") { request, context in try await read(request, context) }
    }

    private func create(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: Input.self, context: context)
        var validator = FieldValidator()
        let title = validator.text(input.title, "title", maxLength: 200)
        let area = validator.area(input.area, "area")
        let audience: Audience? = validator.oneOf(input.audience, "audience")
        let category: VulnerabilityCategory? = validator.oneOf(input.category, "category", optional: audience != .registryCategory)
        var variants: [String: JSONValue] = [:]
        for (key, text) in input.variants ?? [:] {
            guard NoticeLanguage(rawValue: key) != nil else {
                validator.fail("variants/\(key)", "is not one of \(NoticeLanguage.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            if let text = validator.text(text, "variants/\(key)", maxLength: 4000) { variants[key] = .string(text) }
        }
        if variants[NoticeLanguage.mandarin.rawValue] == nil { validator.fail("variants/mandarin", "every notice has a Mandarin text") }
        try validator.check()
        try Scope.require(access, covers: area!)
        let texts = JSONValue.object(variants).canonicalText
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let id = UUID()
            try await connection.query(
                """
                INSERT INTO outreach_notices (id, title, area, audience, category, variants, created_by)
                VALUES (\(id), \(title!), \(area!.rawValue), \(audience!.rawValue), \(category?.rawValue), \(texts)::jsonb, \(access.subject))
                """,
                logger: dependencies.logger
            )
            struct Created: Codable { var id: UUID }
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    private func publish(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such notice.") }
        let body = try await request.bodyBytes(context: context)
        return try await dependencies.writes.perform(request, context: context, body: body) { connection in
            guard let (title, areaText, audience, category, variantsText, published) = try await connection.query(
                "SELECT title, area, audience, category, variants::text, published_at FROM outreach_notices WHERE id = \(id) FOR UPDATE", logger: dependencies.logger
            ).decode((String, String, String, String?, String, Date?).self).collectAll().first, let area = AreaCode(areaText) else {
                throw ProblemDetails(status: .notFound, detail: "No such notice.")
            }
            try Scope.requireVisible(access, area, what: "notice")
            guard published == nil else { throw ProblemDetails(status: .conflict, title: "Already published", detail: "This notice was published already.") }
            try await connection.query("UPDATE outreach_notices SET published_at = now() WHERE id = \(id)", logger: dependencies.logger)
            var audienceData: [String: JSONValue] = ["area": .string(areaText), "group": .string(audience)]
            if let category { audienceData["category"] = .string(category) }
            try await Outbox.append(
                OutboxEvent(topic: "outreach.notice.published", key: id.uuidString.lowercased(), area: areaText, data: .object([
                    "noticeId": .string(id.uuidString.lowercased()), "title": .string(title), "audience": .object(audienceData),
                    "variants": (try? JSONParser.parse(Array(variantsText.utf8))) ?? .object([:]),
                ])),
                on: connection, logger: dependencies.logger
            )
            struct Published: Codable { var id: UUID; var published: Bool }
            return try StoredResponse(json: Published(id: id, published: true))
        }
    }

    /// A notice in the reader's language (`?language=suzhounese`), falling back to Mandarin.
    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: UUID.self),
            let row = try await dependencies.client.query(
                """
                SELECT title, area, audience, category, variants::text, published_at,
                       coalesce((SELECT jsonb_object_agg(language, n) FROM (SELECT language, count(*) AS n FROM outreach_notice_reads WHERE notice_id = \(id) GROUP BY language) c), '{}')::text
                FROM outreach_notices WHERE id = \(id)
                """,
                logger: dependencies.logger
            ).decode((String, String, String, String?, String, Date?, String).self).collectAll().first
        else { throw ProblemDetails(status: .notFound, detail: "No such notice.") }
        // Unpublished drafts are for staff of the area only; a published notice is public.
        if row.5 == nil {
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            try Scope.requireVisible(access, AreaCode(row.1)!, what: "notice")
        }
        let variants = (try? JSONParser.parse(Array(row.4.utf8))).map { value -> [NoticeLanguage: String] in
            guard case .object(let members) = value else { return [:] }
            return Dictionary(uniqueKeysWithValues: members.compactMap { key, text in NoticeLanguage(rawValue: key).flatMap { language in text.stringValue.map { (language, $0) } } })
        } ?? [:]
        let wanted = request.uri.queryParameters["language"].flatMap { NoticeLanguage(rawValue: String($0)) }
        guard let (language, text) = NoticeText(variants: variants).text(for: wanted) else { throw ProblemDetails(status: .notFound, detail: "No such notice.") }
        var reads: [String: Int] = [:]
        if case .object(let counts) = (try? JSONParser.parse(Array(row.6.utf8))) ?? .null {
            for (key, value) in counts { reads[key] = value.intValue ?? 0 }
        }
        return try JSONResponse.make(Notice(
            id: id, title: row.0, area: row.1, audience: row.2, category: row.3, language: language.rawValue, text: text,
            languages: variants.keys.map(\.rawValue).sorted(), publishedAt: row.5, reads: reads
        ))
    }

    /// A reader's acknowledgement (public: the gateway or the reader's phone sends an opaque
    /// reader id, never a number); counted once per reader, in the language they were served.
    private func read(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        try readLimiter.admit(context)
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such notice.") }
        let (input, _) = try await request.readJSON(as: ReadInput.self, context: context)
        var validator = FieldValidator()
        let reader = validator.text(input.reader, "reader", maxLength: 64)
        let language: NoticeLanguage? = validator.oneOf(input.language ?? NoticeLanguage.mandarin.rawValue, "language")
        try validator.check()
        let counted = try await dependencies.client.query(
            """
            INSERT INTO outreach_notice_reads (notice_id, reader, language)
            SELECT id, \(reader!), CASE WHEN variants ? \(language!.rawValue) THEN \(language!.rawValue) ELSE 'mandarin' END
            FROM outreach_notices WHERE id = \(id) AND published_at IS NOT NULL
            ON CONFLICT (notice_id, reader) DO NOTHING RETURNING 1
            """,
            logger: dependencies.logger
        ).collect().count == 1
        struct Read: Codable { var counted: Bool }
        return try JSONResponse.make(Read(counted: counted))
    }
}
