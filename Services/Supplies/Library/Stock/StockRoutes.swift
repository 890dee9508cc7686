import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// What a depot has (`/v1/stock`), how it got there (`/v1/stock/movements`), transfers
/// between depots and write-offs (`/v1/transfers`, `/v1/adjustments`), and how long each
/// item lasts at the current pace (`/v1/stock/cover`).
struct StockRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/stock") { request, _ in try await stock(request) }
        router.get("/v1/stock/movements") { request, _ in try await movements(request) }
        router.get("/v1/stock/cover") { request, _ in try await cover(request) }
        router.post("/v1/transfers") { request, context in try await transfer(request, context) }
        router.post("/v1/adjustments") { request, context in try await adjust(request, context) }
        router.put("/v1/stock/thresholds") { request, context in try await threshold(request, context) }
    }

    /// Sets when an item counts as running low at a depot: below `minimum`, or out within
    /// `horizonDays` (default 3) at the last seven days' pace.
    private func threshold(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: ThresholdForm.self, context: context)
        let threshold = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            try await StockStore(connection: connection, logger: dependencies.logger).set(threshold, by: access)
            return try StoredResponse(json: threshold)
        }
    }

    /// Reads one depot of the caller's area (`depotId` in the query: 422 when missing, 404
    /// when unknown or outside the area).
    private func read<T: Encodable>(
        _ request: Request, allowing roles: Set<AccessRole>, _ query: @Sendable (StockQueries, UUID) async throws -> T
    ) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: roles)
        guard let depot = request.uri.queryParameters["depotId"].flatMap({ UUID(uuidString: String($0)) }) else {
            throw ProblemDetails.validation([.init(field: "depotId", message: "is required")])
        }
        let answer = try await dependencies.client.withConnection { connection in
            _ = try await DepotAccess(connection: connection, logger: dependencies.logger).require(depot, access)
            return try await query(StockQueries(connection: connection, logger: dependencies.logger), depot)
        }
        return try JSONResponse.make(answer)
    }

    private func stock(_ request: Request) async throws -> Response {
        try await read(request, allowing: [.operator, .staff, .dispatcher]) { queries, depot in try await queries.lots(depot: depot) }
    }

    private func movements(_ request: Request) async throws -> Response {
        let after = request.uri.queryParameters["after"].flatMap { Int64(String($0)) } ?? 0
        let limit = min(500, max(1, request.uri.queryParameters["limit"].flatMap { Int(String($0)) } ?? 100))
        return try await read(request, allowing: [.operator, .staff]) { queries, depot in
            Page(items: try await queries.movements(depot: depot, after: after, limit: limit), limit: limit, cursor: \.cursor)
        }
    }

    private func cover(_ request: Request) async throws -> Response {
        try await read(request, allowing: [.operator, .staff, .dispatcher]) { queries, depot in try await queries.cover(depot: depot) }
    }

    /// Moves stock between depots, first-expiring lots first; each moved part becomes a lot
    /// at the destination with the same expiry, linked to its source.
    private func transfer(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: TransferForm.self, context: context)
        let transfer = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let lots = try await StockStore(connection: connection, logger: dependencies.logger).transfer(transfer, by: access)
            struct Transferred: Codable { var lots: [UUID] }
            return try StoredResponse(status: .created, json: Transferred(lots: lots))
        }
    }

    /// Writes off damaged, expired or miscounted stock, with its reason.
    private func adjust(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: AdjustmentForm.self, context: context)
        let writeOff = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            try await StockStore(connection: connection, logger: dependencies.logger).writeOff(writeOff, by: access)
            struct Adjusted: Codable {
                var lotId: UUID
                var writtenOff: Int
            }
            return try StoredResponse(status: .created, json: Adjusted(lotId: writeOff.lot, writtenOff: writeOff.quantity))
        }
    }
}
