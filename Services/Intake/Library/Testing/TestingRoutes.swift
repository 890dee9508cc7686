import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Testing rounds (全员核酸), their sites, check-ins from sampling-point devices (one, or
/// batches of up to 500 with a result per item), a round's progress, and tubes' results
/// (``TubeRoutes``).
struct TestingRoutes {
    let dependencies: ServiceDependencies
    let writer: CheckinWriter
    static let maximumBatch = 500

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/testing-rounds") { request, context in try await createRound(request, context) }
        router.post("/v1/testing-rounds/{id}/sites") { request, context in try await createSite(request, context) }
        router.post("/v1/checkins") { request, context in try await checkIn(request, context) }
        router.get("/v1/testing-rounds/{id}/progress") { request, context in try await progress(request, context) }
        TubeRoutes(dependencies: dependencies).add(to: router)
    }

    struct Created: Codable {
        var id: UUID
    }

    private func createRound(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: RoundForm.self, context: context)
        let round = try form.validated()
        try Scope.require(access, covers: round.area)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let id = try await TestingRoundStore(connection: connection, logger: dependencies.logger).create(round)
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    private func createSite(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let round = try context.requireUUID("id", what: "round")
        let (form, raw) = try await request.readJSON(as: SiteForm.self, context: context)
        let site = try form.validated()
        // The site is in the caller's area (checked here) and inside the round's (by the store).
        try Scope.require(access, covers: site.area)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let id = try await TestingRoundStore(connection: connection, logger: dependencies.logger).add(site, to: round)
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    private func checkIn(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.device, .staff, .operator])
        let raw = try await request.bodyBytes(context: context)
        let body = try CheckinBody(bytes: raw)
        let (valid, invalid) = try body.validated()
        // A post without an idempotency key shares a transaction with its neighbours.
        if request.headers[.init("Idempotency-Key")!] == nil {
            let recorded = try await writer.submit(valid, scope: access)
            if body.single {
                guard let result = recorded.first ?? invalid[0] else {
                    throw ProblemDetails(status: .internalServerError, detail: "Resend the check-in.")
                }
                return try Self.answer(result).response
            }
            let results = invalid.merging(recorded.map { ($0.index, $0) }) { $1 }
            return StoredResponse(status: .ok, body: BatchAnswer((0..<body.items.count).compactMap { results[$0] }).json).response
        }
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let recorded = try await CheckinStore(connection: connection, logger: dependencies.logger).checkIn(valid) { _ in access }
            let results = invalid.merging(recorded) { $1 }
            let ordered = (0..<body.items.count).compactMap { results[$0] }
            if body.single, let result = ordered.first { return try Self.answer(result) }
            return StoredResponse(status: .ok, body: BatchAnswer(ordered).json)
        }
    }

    /// A single check-in's answer: 201 when recorded now, 200 when it already was, 422 when
    /// its site does not fit, 409 when its tube has no room for it.
    private static func answer(_ result: CheckinResult) throws -> StoredResponse {
        switch result.status {
        case .invalid: throw ProblemDetails.validation([.init(field: "siteId", message: result.reason ?? "invalid")])
        case .refused: throw Refusal(result.reason ?? "the tube cannot take this sample", title: "Tube refused")
        case .accepted: return try StoredResponse(status: .created, json: result)
        case .duplicate: return try StoredResponse(status: .ok, json: result)
        }
    }

    private func progress(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .device])
        let round = try context.requireUUID("id", what: "round")
        let progress = try await dependencies.client.withConnection { connection in
            try await TestingRoundStore(connection: connection, logger: dependencies.logger).progress(round, visibleTo: access)
        }
        return try JSONResponse.make(progress)
    }
}
