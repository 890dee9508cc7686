import Foundation
import Hummingbird
import Models
import ServiceKit

/// The volunteer's answer to an offer, from their phone or relayed by the dispatcher or
/// station (`/v1/dispatches/{requestId}/…`), the dispatcher's re-offer of a request nobody
/// took, and the dispatcher's board.
struct DispatchRoutes {
    let dependencies: ServiceDependencies

    struct Answer: Codable {
        var requestId: UUID
        var status: String
        var holder: UUID?
    }

    func add(to router: Router<ServiceRequestContext>) {
        for action in DispatchAction.allCases {
            router.post("/v1/dispatches/{id}/\(action.rawValue)") { request, context in try await answer(action, request, context) }
        }
        router.post("/v1/dispatches/{id}/reoffer") { request, context in try await reoffer(request, context) }
        router.get("/v1/dispatch-board") { request, _ in try await board(request) }
    }

    private func answer(_ action: DispatchAction, _ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.volunteer, .dispatcher, .staff, .operator])
        let id = try context.requireUUID("id", what: "dispatch")
        let (form, raw) = try await request.readJSON(as: AnswerForm.self, context: context)
        let answer = try form.validated(action, by: access)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = DispatchStore(connection: connection, logger: dependencies.logger)
            guard let dispatch = try await store.lock(id), let area = AreaCode(dispatch.compound) else {
                throw ProblemDetails(status: .notFound, detail: "No such dispatch.")
            }
            if access.role != .volunteer { try Scope.requireVisible(access, area, what: "dispatch") }
            let chain = try await store.answer(answer, to: id, in: dispatch, actor: access.subject)
            return try StoredResponse(json: Answer(requestId: id, status: chain.status.rawValue, holder: chain.holder))
        }
    }

    /// The dispatcher's "offer again" for a request nobody took: it goes round the
    /// volunteers eligible now (``DispatchStore/reoffer(_:in:actor:)``). Answered 200 also
    /// when still nobody fits (status `unassigned`): the dispatcher asked, and that is the
    /// answer, not a fault of the request.
    private func reoffer(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.dispatcher, .staff, .operator])
        let id = try context.requireUUID("id", what: "dispatch")
        let raw = try await request.bodyBytes(context: context)
        try Self.requireEmptyOrObject(raw)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = DispatchStore(connection: connection, logger: dependencies.logger)
            guard let dispatch = try await store.lock(id), let area = AreaCode(dispatch.compound) else {
                throw ProblemDetails(status: .notFound, detail: "No such dispatch.")
            }
            try Scope.requireVisible(access, area, what: "dispatch")
            let chain = try await store.reoffer(id, in: dispatch, actor: access.subject)
            return try StoredResponse(json: Answer(requestId: id, status: chain.status.rawValue, holder: chain.holder))
        }
    }

    /// The re-offer takes no fields; a client may send nothing or `{}`, and anything else is
    /// more likely a mistake (a body meant for another route) than something to ignore.
    static func requireEmptyOrObject(_ raw: [UInt8]) throws(ProblemDetails) {
        let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        guard let first = raw.first(where: { !whitespace.contains($0) }) else { return }
        try JSONBodyCheck.check(raw)
        guard first == UInt8(ascii: "{") else {
            throw ProblemDetails(
                status: .badRequest, title: "Unreadable body", detail: "The body is empty or a JSON object (`{}`).",
                errors: [.init(field: "", message: "must be a JSON object")])
        }
    }

    private func board(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.dispatcher, .staff, .operator])
        let queries = DispatchQueries(client: dependencies.client, logger: dependencies.logger)
        return try JSONResponse.make(try await queries.board(areaPattern: access.areaPattern))
    }
}
