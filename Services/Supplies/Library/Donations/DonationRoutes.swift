import EventBus
import Foundation
import Hummingbird
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// Donations from pledge to shelf: donors (enterprises, organizations, individuals), public
/// calls for donations (捐赠倡议) with their progress, pledges, and receipts — one or
/// several deliveries, each becoming lots with their expiry dates, and a receipt for the donor.
struct DonationRoutes {
    let dependencies: ServiceDependencies

    enum DonorKind: String, CaseIterable, Codable {
        case enterprise, organization, individual
    }

    struct DonorInput: Decodable {
        var kind: String?
        var name: String?
        var contactPhone: String?
        var area: String?
    }

    struct DriveInput: Decodable {
        var title: String?
        var area: String?
        var itemId: UUID?
        var target: Int?
        var deadline: String?
    }

    struct PledgeInput: Decodable {
        var donorId: UUID?
        var driveId: UUID?
        var depotId: UUID?
        var itemId: UUID?
        var quantity: Int?
    }

    struct ReceiptInput: Decodable {
        struct Line: Decodable {
            var itemId: UUID?
            var quantity: Int?
            var expiresAt: String?
        }

        var depotId: UUID?
        var donorId: UUID?
        var pledgeId: UUID?
        var lines: [Line]?
    }

    struct Receipt: Codable {
        struct Line: Codable {
            var lotId: UUID
            var itemId: UUID
            var item: String
            var unit: String
            var quantity: Int
            var expiresAt: Date?
        }

        var id: UUID
        var number: Int64
        var donor: String?
        var depot: String
        var receivedAt: Date
        var lines: [Line]
    }

    struct DriveProgress: Codable {
        var id: UUID
        var title: String
        var area: String
        var item: String
        var unit: String
        var target: Int
        var pledged: Int
        var received: Int
        var deadline: Date
    }

    struct Created: Codable { var id: UUID }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/donors") { request, context in try await createDonor(request, context) }
        router.post("/v1/donation-drives") { request, context in try await createDrive(request, context) }
        router.get("/v1/donation-drives/{id}") { _, context in try await drive(context) }
        router.post("/v1/pledges") { request, context in try await pledge(request, context) }
        router.post("/v1/receipts") { request, context in try await receive(request, context) }
        router.get("/v1/receipts/{id}") { request, context in try await receipt(request, context) }
    }

    private func createDonor(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: DonorInput.self, context: context)
        var validator = FieldValidator()
        let kind: DonorKind? = validator.oneOf(input.kind, "kind")
        let name = validator.text(input.name, "name", maxLength: 100)
        let phone = input.contactPhone == nil ? nil : validator.mobile(input.contactPhone, "contactPhone")
        let area = validator.area(input.area, "area")
        try validator.check()
        try Scope.require(access, covers: area!)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let id = UUID()
            try await connection.query(
                "INSERT INTO donors (id, kind, name, contact_phone, area) VALUES (\(id), \(kind!.rawValue), \(name!), \(phone?.digits), \(area!.rawValue))",
                logger: dependencies.logger
            )
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    private func createDrive(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: DriveInput.self, context: context)
        var validator = FieldValidator()
        let title = validator.text(input.title, "title", maxLength: 200)
        let area = validator.area(input.area, "area")
        let item = validator.required(input.itemId, "itemId")
        let target = validator.range(input.target, "target", 1...10_000_000)
        let deadline = validator.required(input.deadline.flatMap(Timestamp.parse), "deadline")
        if let deadline, deadline <= Date() { validator.fail("deadline", "is past") }
        try validator.check()
        try Scope.require(access, covers: area!)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let id = UUID()
            try await connection.query(
                """
                INSERT INTO donation_drives (id, title, area, item_id, target, deadline)
                VALUES (\(id), \(title!), \(area!.rawValue), \(item!), \(target!), \(deadline!))
                """,
                logger: dependencies.logger
            )
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    /// A call for donations is public: its page shows the target and how far pledges and
    /// deliveries have come, never who gave.
    private func drive(_ context: ServiceRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: UUID.self),
            let row = try await dependencies.client.query(
                """
                SELECT d.title, d.area, i.name, i.unit, d.target, d.deadline,
                       coalesce((SELECT sum(quantity) FROM donation_pledges WHERE drive_id = d.id), 0)::int,
                       coalesce((SELECT sum(received) FROM donation_pledges WHERE drive_id = d.id), 0)::int
                FROM donation_drives d JOIN supply_items i ON i.id = d.item_id WHERE d.id = \(id)
                """,
                logger: dependencies.logger
            ).decode((String, String, String, String, Int, Date, Int, Int).self).collectAll().first
        else { throw ProblemDetails(status: .notFound, detail: "No such call for donations.") }
        return try JSONResponse.make(DriveProgress(
            id: id, title: row.0, area: row.1, item: row.2, unit: row.3, target: row.4, pledged: row.6, received: row.7, deadline: row.5
        ))
    }

    private func pledge(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: PledgeInput.self, context: context)
        var validator = FieldValidator()
        let donor = validator.required(input.donorId, "donorId")
        let depot = validator.required(input.depotId, "depotId")
        let item = validator.required(input.itemId, "itemId")
        let quantity = validator.range(input.quantity, "quantity", 1...10_000_000)
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let area = try await DepotAccess(connection: connection, logger: dependencies.logger).require(depot!, access, field: "depotId")
            guard let (donorKind, donorArea) = try await connection.query("SELECT kind, area FROM donors WHERE id = \(donor!)", logger: dependencies.logger)
                .decode((String, String).self).collectAll().first, AreaCode(donorArea).map(access.covers) == true
            else { throw ProblemDetails.validation([.init(field: "donorId", message: "no such donor in your area")]) }
            if let drive = input.driveId {
                let matches = try await connection.query(
                    "SELECT area FROM donation_drives WHERE id = \(drive) AND item_id = \(item!)", logger: dependencies.logger
                ).decode(String.self).collectAll().first.flatMap(AreaCode.init).map(access.covers) == true
                guard matches else { throw ProblemDetails.validation([.init(field: "driveId", message: "no call for donations of this item in your area")]) }
            }
            let id = UUID()
            try await connection.query(
                """
                INSERT INTO donation_pledges (id, donor_id, drive_id, depot_id, item_id, quantity)
                VALUES (\(id), \(donor!), \(input.driveId), \(depot!), \(item!), \(quantity!))
                """,
                logger: dependencies.logger
            )
            try await Outbox.append(
                SuppliesEvents.pledged(id, donorKind: donorKind, depot: depot!, area: area.rawValue, item: item!, quantity: quantity!, drive: input.driveId),
                on: connection, logger: dependencies.logger
            )
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    /// One delivery of donated (or bought) stock: each line becomes a lot on the depot's
    /// shelf, with its expiry date, and counts against the pledge it fulfils.
    private func receive(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: ReceiptInput.self, context: context)
        var validator = FieldValidator()
        let depot = validator.required(input.depotId, "depotId")
        let lines = input.lines ?? []
        if !(1...200).contains(lines.count) { validator.fail("lines", "a receipt has 1–200 lines") }
        var checked: [(item: UUID, quantity: Int, expiresAt: Date?)] = []
        for (index, line) in lines.enumerated() {
            let item = validator.required(line.itemId, "lines/\(index)/itemId")
            let quantity = validator.range(line.quantity, "lines/\(index)/quantity", 1...10_000_000)
            var expiry: Date?
            if let text = line.expiresAt {
                expiry = Timestamp.parse(text)
                if expiry == nil { validator.fail("lines/\(index)/expiresAt", "must be an RFC 3339 time") }
                else if expiry! <= Date() { validator.fail("lines/\(index)/expiresAt", "is past: expired stock is not received") }
            }
            if let item, let quantity { checked.append((item, quantity, expiry)) }
        }
        try validator.check()
        let received = checked
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let logger = dependencies.logger
            let area = try await DepotAccess(connection: connection, logger: logger).require(depot!, access, field: "depotId")
            if let donor = input.donorId {
                let visible = try await connection.query("SELECT area FROM donors WHERE id = \(donor)", logger: logger)
                    .decode(String.self).collectAll().first.flatMap(AreaCode.init).map(access.covers) == true
                guard visible else { throw ProblemDetails.validation([.init(field: "donorId", message: "no such donor in your area")]) }
            }
            if let pledge = input.pledgeId {
                let pledged = try await connection.query(
                    """
                    SELECT item_id, quantity - received FROM donation_pledges
                    WHERE id = \(pledge) AND depot_id = \(depot!) AND (\(input.donorId)::uuid IS NULL OR donor_id = \(input.donorId)) FOR UPDATE
                    """,
                    logger: logger
                ).decode((UUID, Int).self).collectAll().first
                guard let (item, outstanding) = pledged, received.allSatisfy({ $0.item == item }) else {
                    throw ProblemDetails.validation([.init(field: "pledgeId", message: "no such pledge of this depot and donor for the items received")])
                }
                let total = received.reduce(0) { $0 + $1.quantity }
                guard total <= outstanding else {
                    throw ProblemDetails.validation([
                        .init(field: "lines", message: "\(total) received against \(outstanding) still pledged; receive the rest without the pledge")
                    ])
                }
                try await connection.query(
                    "UPDATE donation_pledges SET received = received + \(received.reduce(0) { $0 + $1.quantity }) WHERE id = \(pledge)", logger: logger
                )
            }
            let id = UUID()
            let number = try await connection.query(
                """
                INSERT INTO receipts (id, donor_id, pledge_id, depot_id, received_by)
                VALUES (\(id), \(input.donorId), \(input.pledgeId), \(depot!), \(access.subject)) RETURNING number
                """,
                logger: logger
            ).decode(Int64.self).collectAll().first ?? 0
            let ledger = StockLedger(connection: connection, logger: logger)
            var lots: [(lot: UUID, item: UUID, quantity: Int)] = []
            for line in received {
                let lot = UUID()
                try await connection.query(
                    """
                    INSERT INTO lots (id, item_id, depot_id, receipt_id, expires_at, quantity)
                    VALUES (\(lot), \(line.item), \(depot!), \(id), \(line.expiresAt), \(line.quantity))
                    """,
                    logger: logger
                )
                try await ledger.receive(lot: lot, depot: depot!, item: line.item, quantity: line.quantity, .init(reason: "receipt \(number)", actor: access.subject))
                lots.append((lot, line.item, line.quantity))
            }
            try await Outbox.append(
                SuppliesEvents.received(id, number: number, depot: depot!, area: area.rawValue, pledge: input.pledgeId, lots: lots), on: connection, logger: logger
            )
            guard let receipt = try await Self.receipt(id, on: connection, logger: logger) else { throw ProblemDetails(status: .notFound, detail: "No such receipt.") }
            return try StoredResponse(status: .created, json: receipt)
        }
    }

    private func receipt(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such receipt.") }
        let receipt = try await dependencies.client.withConnection { connection -> Receipt? in
            guard let depot = try await connection.query("SELECT depot_id FROM receipts WHERE id = \(id)", logger: dependencies.logger)
                .decode(UUID.self).collectAll().first
            else { return nil }
            _ = try await DepotAccess(connection: connection, logger: dependencies.logger).require(depot, access)
            return try await Self.receipt(id, on: connection, logger: dependencies.logger)
        }
        guard let receipt else { throw ProblemDetails(status: .notFound, detail: "No such receipt.") }
        return try JSONResponse.make(receipt)
    }

    static func receipt(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Receipt? {
        guard let (number, donor, depot, at) = try await connection.query(
            """
            SELECT r.number, d.name, p.name, r.received_at FROM receipts r
            JOIN depots p ON p.id = r.depot_id LEFT JOIN donors d ON d.id = r.donor_id WHERE r.id = \(id)
            """,
            logger: logger
        ).decode((Int64, String?, String, Date).self).collectAll().first else { return nil }
        var lines: [Receipt.Line] = []
        for try await (lot, item, name, unit, quantity, expires) in try await connection.query(
            "SELECT l.id, l.item_id, i.name, i.unit, l.quantity, l.expires_at FROM lots l JOIN supply_items i ON i.id = l.item_id WHERE l.receipt_id = \(id) ORDER BY l.seq",
            logger: logger
        ).decode((UUID, UUID, String, String, Int, Date?).self) {
            lines.append(Receipt.Line(lotId: lot, itemId: item, item: name, unit: unit, quantity: quantity, expiresAt: expires))
        }
        return Receipt(id: id, number: number, donor: donor, depot: depot, receivedAt: at, lines: lines)
    }
}
