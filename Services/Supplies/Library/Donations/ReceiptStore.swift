import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of receipts: one delivery becomes lots on the depot's shelf, with their ledger
/// movements, in the caller's transaction; and the receipt as the donor gets it.
struct ReceiptStore {
    let connection: PostgresConnection
    let logger: Logger

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

    /// Receives `receipt` at a depot of the caller's area: each line becomes a lot with its
    /// expiry date, and counts against the pledge it fulfils; announces the receipt.
    func receive(_ receipt: NewReceipt, by access: AccessToken) async throws -> Receipt {
        let area = try await DepotAccess(connection: connection, logger: logger).require(receipt.depot, access, field: "depotId")
        if let donor = receipt.donor {
            _ = try await DonationStore(connection: connection, logger: logger).requireDonor(donor, visibleTo: access)
        }
        if let pledge = receipt.pledge { try await count(receipt, against: pledge) }
        let id = UUID()
        let number =
            try await connection.query(
                """
                INSERT INTO receipts (id, donor_id, pledge_id, depot_id, received_by)
                VALUES (\(id), \(receipt.donor), \(receipt.pledge), \(receipt.depot), \(access.subject)) RETURNING number
                """,
                logger: logger
            ).decode(Int64.self).collectAll().first ?? 0
        let ledger = StockLedger(connection: connection, logger: logger)
        var lots: [(lot: UUID, item: UUID, quantity: Int)] = []
        for line in receipt.lines {
            let lot = UUID()
            try await connection.query(
                """
                INSERT INTO lots (id, item_id, depot_id, receipt_id, expires_at, quantity)
                VALUES (\(lot), \(line.item), \(receipt.depot), \(id), \(line.expiresAt), \(line.quantity))
                """,
                logger: logger
            )
            try await ledger.receive(
                lot: lot, depot: receipt.depot, item: line.item, quantity: line.quantity,
                .init(reason: "receipt \(number)", actor: access.subject)
            )
            lots.append((lot, line.item, line.quantity))
        }
        try await Outbox.append(
            SuppliesEvents.received(id, number: number, depot: receipt.depot, area: area.rawValue, pledge: receipt.pledge, lots: lots),
            on: connection, logger: logger
        )
        guard let stored = try await read(id) else { throw NotFound("receipt") }
        return stored
    }

    /// Counts the delivery against the pledge of this depot (and donor, when named), which
    /// must be for the items received and still outstanding by at least the total; 422
    /// otherwise. The pledge's row stays locked to the commit, so two deliveries received at
    /// once cannot both count against the same outstanding quantity.
    private func count(_ receipt: NewReceipt, against pledge: UUID) async throws {
        let pledged = try await connection.query(
            """
            SELECT item_id, quantity - received FROM donation_pledges
            WHERE id = \(pledge) AND depot_id = \(receipt.depot)
              AND (\(receipt.donor)::uuid IS NULL OR donor_id = \(receipt.donor)) FOR UPDATE
            """,
            logger: logger
        ).decode((UUID, Int).self).collectAll().first
        guard let (item, outstanding) = pledged, receipt.lines.allSatisfy({ $0.item == item }) else {
            throw InvalidFields([
                .init(field: "pledgeId", message: "no such pledge of this depot and donor for the items received")
            ])
        }
        guard receipt.total <= outstanding else {
            throw InvalidFields([
                .init(
                    field: "lines",
                    message: "\(receipt.total) received against \(outstanding) still pledged; receive the rest without the pledge"
                )
            ])
        }
        try await connection.query(
            "UPDATE donation_pledges SET received = received + \(receipt.total) WHERE id = \(pledge)", logger: logger
        )
    }

    /// The depot that received the receipt, to check the reader's scope against.
    func depot(ofReceipt id: UUID) async throws -> UUID? {
        try await connection.query("SELECT depot_id FROM receipts WHERE id = \(id)", logger: logger).decode(UUID.self).collectAll().first
    }

    func read(_ id: UUID) async throws -> Receipt? {
        guard
            let (number, donor, depot, at) = try await connection.query(
                """
                SELECT r.number, d.name, p.name, r.received_at FROM receipts r
                JOIN depots p ON p.id = r.depot_id LEFT JOIN donors d ON d.id = r.donor_id WHERE r.id = \(id)
                """,
                logger: logger
            ).decode((Int64, String?, String, Date).self).collectAll().first
        else { return nil }
        let lines = try await connection.query(
            """
            SELECT l.id, l.item_id, i.name, i.unit, l.quantity, l.expires_at FROM lots l JOIN supply_items i ON i.id = l.item_id
            WHERE l.receipt_id = \(id) ORDER BY l.seq
            """,
            logger: logger
        ).decode((UUID, UUID, String, String, Int, Date?).self).collectAll().map {
            Receipt.Line(lotId: $0.0, itemId: $0.1, item: $0.2, unit: $0.3, quantity: $0.4, expiresAt: $0.5)
        }
        return Receipt(id: id, number: number, donor: donor, depot: depot, receivedAt: at, lines: lines)
    }
}
