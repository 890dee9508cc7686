import Foundation
import Hummingbird
import Models
import ServiceKit

/// Notices and guides (`/v1/notices`): a text in Mandarin (`zh`) and, where the station wrote
/// them, texts in any dialect or language by BCP 47 tag (`wuu-x-hangzhou`, `nan`, `yue`, `en`),
/// for an audience (residents, volunteers, or one registry
/// category of an area). Publishing announces the texts and the audience so SMS or WeChat
/// gateways deliver them; readers' acknowledgements are counted per language.
struct NoticeRoutes {
    let dependencies: ServiceDependencies
    /// Acknowledgements are public: limited per client address, like intake's public forms.
    var readLimiter = RateLimiter(perMinute: 120, burst: 30)

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/notices") { request, context in try await create(request, context) }
        router.post("/v1/notices/{id}/publish") { request, context in try await publish(request, context) }
        router.get("/v1/notices/{id}") { request, context in try await show(request, context) }
        router.post("/v1/notices/{id}/reads") { request, context in try await read(request, context) }
    }

    private func create(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: NoticeForm.self, context: context)
        let notice = try form.validated()
        try Scope.require(access, covers: notice.area)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let id = try await NoticeStore(connection: connection, logger: dependencies.logger).create(notice, by: access.subject)
            struct Created: Codable { var id: UUID }
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    /// Published once: publishing again is refused (409).
    private func publish(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "notice")
        let body = try await request.bodyBytes(context: context)
        return try await dependencies.writes.perform(request, context: context, body: body) { connection in
            let store = NoticeStore(connection: connection, logger: dependencies.logger)
            guard let (notice, published) = try await store.lock(id) else {
                throw ProblemDetails(status: .notFound, detail: "No such notice.")
            }
            try Scope.requireVisible(access, notice.area, what: "notice")
            guard !published else { throw Refusal("This notice was published already.", title: "Already published") }
            try await store.publish(notice)
            struct Published: Codable {
                var id: UUID
                var published: Bool
            }
            return try StoredResponse(json: Published(id: id, published: true))
        }
    }

    /// A notice in the reader's language (`?language=wuu-x-suzhou`, else `Accept-Language`),
    /// falling back to a broader tag, then Mandarin; the answer names the tag served.
    /// Unpublished drafts are for staff of the area only; a published notice is public.
    private func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let id = try context.requireUUID("id", what: "notice")
        guard let notice = try await NoticeQueries(client: dependencies.client, logger: dependencies.logger).notice(id) else {
            throw ProblemDetails(status: .notFound, detail: "No such notice.")
        }
        if notice.publishedAt == nil {
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            try Scope.requireVisible(access, notice.area, what: "notice")
        }
        let wanted = try ReaderLanguage(request).tag
        guard let view = notice.view(in: wanted) else { throw ProblemDetails(status: .notFound, detail: "No such notice.") }
        var response = try JSONResponse.make(view)
        response.headers[.contentLanguage] = view.language
        return response
    }

    /// A reader's acknowledgement (public: the gateway or the reader's phone sends an opaque
    /// reader id, never a number); counted once per reader, in the language they were served.
    private func read(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        try readLimiter.admit(context)
        let id = try context.requireUUID("id", what: "notice")
        let (form, raw) = try await request.readJSON(as: NoticeReadForm.self, context: context)
        let read = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let counted = try await NoticeStore(connection: connection, logger: dependencies.logger).count(read, of: id)
            struct Read: Codable { var counted: Bool }
            return try StoredResponse(json: Read(counted: counted))
        }
    }
}
