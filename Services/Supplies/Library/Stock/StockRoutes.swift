import EventBus
import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// What a depot has (`/v1/stock`), how it got there (`/v1/stock/movements`), transfers
/// between depots and write-offs (`/v1/transfers`, `/v1/adjustments`), and how long each
/// item lasts at the current pace (`/v1/stock/cover`).
struct StockRoutes {
    let dependencies: ServiceDependencies

    struct LotStock: Codable {
        var lotId: UUID
        var itemId: UUID
        var item: String
        var unit: String
        var expiresAt: Date?
        var onHand: Int
        var reserved: Int
        /// What may still be promised: nothing from an expired lot.
        var available: Int
        var expired: Bool
    }

    struct Movement: Codable {
        var cursor: Int64
        var lotId: UUID
        var itemId: UUID
        var kind: String
        var onHandChange: Int
        var reservedChange: Int
        var reason: String
        var reservationId: UUID?
        var actor: String
        var at: Date
    }

    struct Cover: Codable {
        var itemId: UUID
        var item: String
        var available: Int
        var issuedLastSevenDays: Int
        var dailyUse: Double
        var daysOfCover: Double?
    }

    struct TransferInput: Decodable {
        var fromDepotId: UUID?
        var toDepotId: UUID?
        var itemId: UUID?
        var quantity: Int?
        var reason: String?
    }

    struct AdjustmentInput: Decodable {
        var lotId: UUID?
        var quantity: Int?
        var reason: String?
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/stock") { request, _ in try await stock(request) }
        router.get("/v1/stock/movements") { request, _ in try await movements(request) }
        router.get("/v1/stock/cover") { request, _ in try await cover(request) }
        router.post("/v1/transfers") { request, context in try await transfer(request, context) }
        router.post("/v1/adjustments") { request, context in try await adjust(request, context) }
        router.put("/v1/stock/thresholds") { request, context in try await threshold(request, context) }
    }

    struct ThresholdInput: Decodable {
        var depotId: UUID?
        var itemId: UUID?
        var minimum: Int?
        var horizonDays: Int?
    }

    /// Sets when an item counts as running low at a depot: below `minimum`, or out within
    /// `horizonDays` (default 3) at the last seven days' pace.
    private func threshold(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: ThresholdInput.self, context: context)
        var validator = FieldValidator()
        let depot = validator.required(input.depotId, "depotId")
        let item = validator.required(input.itemId, "itemId")
        let minimum = validator.range(input.minimum, "minimum", 0...10_000_000)
        let horizon = validator.range(input.horizonDays ?? 3, "horizonDays", 1...90)
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            _ = try await DepotAccess(connection: connection, logger: dependencies.logger).require(depot!, access, field: "depotId")
            try await connection.query(
                """
                INSERT INTO stock_thresholds (depot_id, item_id, minimum, horizon_days) VALUES (\(depot!), \(item!), \(minimum!), \(horizon!))
                ON CONFLICT (depot_id, item_id) DO UPDATE SET minimum = EXCLUDED.minimum, horizon_days = EXCLUDED.horizon_days
                """,
                logger: dependencies.logger
            )
            struct Threshold: Codable { var depotId: UUID; var itemId: UUID; var minimum: Int; var horizonDays: Int }
            return try StoredResponse(json: Threshold(depotId: depot!, itemId: item!, minimum: minimum!, horizonDays: horizon!))
        }
    }

    private func depotParameter(_ request: Request, _ access: AccessToken) async throws -> UUID {
        guard let depot = request.uri.queryParameters["depotId"].flatMap({ UUID(uuidString: String($0)) }) else {
            throw ProblemDetails.validation([.init(field: "depotId", message: "is required")])
        }
        _ = try await dependencies.client.withConnection { connection in
            try await DepotAccess(connection: connection, logger: dependencies.logger).require(depot, access)
        }
        return depot
    }

    private func stock(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let depot = try await depotParameter(request, access)
        var lots: [LotStock] = []
        for try await (lot, item, name, unit, expires, onHand, reserved) in try await dependencies.client.query(
            """
            SELECT b.lot_id, b.item_id, i.name, i.unit, l.expires_at, b.on_hand, b.reserved
            FROM stock_balances b JOIN lots l ON l.id = b.lot_id JOIN supply_items i ON i.id = b.item_id
            WHERE b.depot_id = \(depot) AND b.on_hand > 0 ORDER BY i.name, l.expires_at NULLS LAST, l.seq
            """,
            logger: dependencies.logger
        ).decode((UUID, UUID, String, String, Date?, Int, Int).self) {
            let expired = expires.map { $0 <= Date() } ?? false
            lots.append(LotStock(
                lotId: lot, itemId: item, item: name, unit: unit, expiresAt: expires, onHand: onHand, reserved: reserved,
                available: expired ? 0 : onHand - reserved, expired: expired
            ))
        }
        return try JSONResponse.make(lots)
    }

    private func movements(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let depot = try await depotParameter(request, access)
        let after = request.uri.queryParameters["after"].flatMap { Int64(String($0)) } ?? 0
        let limit = min(500, max(1, request.uri.queryParameters["limit"].flatMap { Int(String($0)) } ?? 100))
        var rows: [Movement] = []
        for try await row in try await dependencies.client.query(
            """
            SELECT seq, lot_id, item_id, kind, on_hand_change, reserved_change, reason, reservation_id, actor, at
            FROM stock_movements WHERE depot_id = \(depot) AND seq > \(after) ORDER BY seq LIMIT \(limit)
            """,
            logger: dependencies.logger
        ).decode((Int64, UUID, UUID, String, Int, Int, String, UUID?, String, Date).self) {
            rows.append(Movement(
                cursor: row.0, lotId: row.1, itemId: row.2, kind: row.3, onHandChange: row.4, reservedChange: row.5, reason: row.6,
                reservationId: row.7, actor: row.8, at: row.9
            ))
        }
        return try JSONResponse.make(Page(items: rows, limit: limit, cursor: \.cursor))
    }

    private func cover(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let depot = try await depotParameter(request, access)
        var rows: [Cover] = []
        for try await (item, name, available, issued) in try await dependencies.client.query(StockWatch.coverQuery(depot: depot), logger: dependencies.logger)
            .decode((UUID, String, Int, Int).self)
        {
            let cover = StockCover(available: available, issuedInWindow: issued)
            rows.append(Cover(itemId: item, item: name, available: available, issuedLastSevenDays: issued, dailyUse: cover.dailyUse, daysOfCover: cover.daysOfCover))
        }
        return try JSONResponse.make(rows)
    }

    /// Moves stock between depots, first-expiring lots first; each moved part becomes a lot
    /// at the destination with the same expiry, linked to its source.
    private func transfer(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: TransferInput.self, context: context)
        var validator = FieldValidator()
        let from = validator.required(input.fromDepotId, "fromDepotId")
        let to = validator.required(input.toDepotId, "toDepotId")
        if from != nil && from == to { validator.fail("toDepotId", "must differ from fromDepotId") }
        let item = validator.required(input.itemId, "itemId")
        let quantity = validator.range(input.quantity, "quantity", 1...10_000_000)
        let reason = validator.text(input.reason, "reason", maxLength: 500)
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let logger = dependencies.logger
            let depots = DepotAccess(connection: connection, logger: logger)
            _ = try await depots.require(from!, access, field: "fromDepotId")
            _ = try await depots.require(to!, access, field: "toDepotId")
            let ledger = StockLedger(connection: connection, logger: logger)
            let lots = try await ledger.lockAvailableLots(depot: from!, item: item!)
            guard let plan = LotPlan(quantity: quantity!, from: lots, now: Date()) else {
                throw ProblemDetails(status: .conflict, title: "Not enough stock", detail: "Only \(lots.reduce(0) { $0 + $1.available }) available to transfer.")
            }
            let context = StockLedger.Context(reason: "transfer: \(reason!)", actor: access.subject)
            var moved: [UUID] = []
            for take in plan.takes {
                try await ledger.apply(StockMovement(lot: take.lot, kind: .transferOut, quantity: take.quantity), context)
                let lot = UUID()
                try await connection.query(
                    """
                    INSERT INTO lots (id, item_id, depot_id, source_lot, expires_at, quantity)
                    SELECT \(lot), item_id, \(to!), id, expires_at, \(take.quantity) FROM lots WHERE id = \(take.lot)
                    """,
                    logger: logger
                )
                try await ledger.receive(lot: lot, depot: to!, item: item!, quantity: take.quantity, kind: .transferIn, context)
                moved.append(lot)
            }
            let fromArea = try await depots.require(from!, access, field: "fromDepotId"), toArea = try await depots.require(to!, access, field: "toDepotId")
            try await Outbox.append([
                SuppliesEvents.stockChanged("supplies.stock.transferred-out", depot: from!, area: fromArea.rawValue, item: item!, quantity: quantity!, extra: ["toDepotId": SuppliesEvents.id(to!)]),
                SuppliesEvents.stockChanged("supplies.stock.transferred-in", depot: to!, area: toArea.rawValue, item: item!, quantity: quantity!, extra: ["fromDepotId": SuppliesEvents.id(from!)]),
            ], on: connection, logger: logger)
            struct Transferred: Codable { var lots: [UUID] }
            return try StoredResponse(status: .created, json: Transferred(lots: moved))
        }
    }

    /// Writes off damaged, expired or miscounted stock, with its reason.
    private func adjust(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: AdjustmentInput.self, context: context)
        var validator = FieldValidator()
        let lot = validator.required(input.lotId, "lotId")
        let quantity = validator.range(input.quantity, "quantity", 1...10_000_000)
        let reason = validator.text(input.reason, "reason", maxLength: 500)
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            guard let depot = try await connection.query("SELECT depot_id FROM lots WHERE id = \(lot!)", logger: dependencies.logger)
                .decode(UUID.self).collectAll().first
            else { throw ProblemDetails.validation([.init(field: "lotId", message: "no such lot in your area")]) }
            _ = try await DepotAccess(connection: connection, logger: dependencies.logger).require(depot, access, field: "lotId")
            do {
                try await StockLedger(connection: connection, logger: dependencies.logger).apply(
                    StockMovement(lot: lot!, kind: .adjustment, quantity: quantity!), .init(reason: reason!, actor: access.subject)
                )
            } catch let refusal as StockBalance.Refusal {
                throw ProblemDetails(status: .conflict, title: "Not enough stock", detail: "\(refusal) Reserved stock is released before it is written off.")
            }
            if let (item, area) = try await connection.query(
                "SELECT l.item_id, d.area FROM lots l JOIN depots d ON d.id = l.depot_id WHERE l.id = \(lot!)", logger: dependencies.logger
            ).decode((UUID, String).self).collectAll().first {
                try await Outbox.append(
                    SuppliesEvents.stockChanged("supplies.stock.written-off", depot: depot, area: area, item: item, quantity: quantity!, extra: ["lotId": SuppliesEvents.id(lot!)]),
                    on: connection, logger: dependencies.logger
                )
            }
            struct Adjusted: Codable { var lotId: UUID; var writtenOff: Int }
            return try StoredResponse(status: .created, json: Adjusted(lotId: lot!, writtenOff: quantity!))
        }
    }
}
