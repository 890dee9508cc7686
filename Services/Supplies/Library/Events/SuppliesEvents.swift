import EventBus
import Foundation
import Models

/// The events supplies announces: ids, codes and quantities only (a donor's or resident's
/// name never travels); the fields of each topic are documented in docs/EVENTS.md.
enum SuppliesEvents: EventCatalogue {
    static let stream = "supplies"

    static let donationPledged: Topic = "supplies.donation.pledged"
    static let donationReceived: Topic = "supplies.donation.received"
    static let reservationCreated: Topic = "supplies.reservation.created"
    static let reservationReleased: Topic = "supplies.reservation.released"
    static let dispatchPlanned: Topic = "supplies.dispatch.planned"
    static let dispatchDelivered: Topic = "supplies.dispatch.delivered"
    static let dispatchFailed: Topic = "supplies.dispatch.failed"
    static let stockTransferredOut: Topic = "supplies.stock.transferred-out"
    static let stockTransferredIn: Topic = "supplies.stock.transferred-in"
    static let stockWrittenOff: Topic = "supplies.stock.written-off"
    static let stockLow: Topic = "supplies.stock.low"
    static let lotExpiring: Topic = "supplies.lot.expiring"
    static let purchaseOpened: Topic = "supplies.purchase.opened"
    static let purchaseQuoted: Topic = "supplies.purchase.quoted"
    static let purchaseConfirmed: Topic = "supplies.purchase.confirmed"
    static let purchasePurchased: Topic = "supplies.purchase.purchased"
    static let purchaseDelivered: Topic = "supplies.purchase.delivered"
    static let purchaseReimbursed: Topic = "supplies.purchase.reimbursed"
    static let purchaseCancelled: Topic = "supplies.purchase.cancelled"
    static let compoundStatusChanged: Topic = "supplies.compound.status-changed"

    static let topics: [Topic] = [
        donationPledged, donationReceived, reservationCreated, reservationReleased, dispatchPlanned, dispatchDelivered, dispatchFailed,
        stockTransferredOut, stockTransferredIn, stockWrittenOff, stockLow, lotExpiring,
        purchaseOpened, purchaseQuoted, purchaseConfirmed, purchasePurchased, purchaseDelivered, purchaseReimbursed, purchaseCancelled,
        compoundStatusChanged,
    ]

    /// The topic announcing that an errand purchase reached `status`.
    static func purchaseTopic(_ status: ErrandPurchase.Status) -> Topic {
        switch status {
        case .open: purchaseOpened
        case .quoted: purchaseQuoted
        case .confirmed: purchaseConfirmed
        case .purchased: purchasePurchased
        case .delivered: purchaseDelivered
        case .reimbursed: purchaseReimbursed
        case .cancelled: purchaseCancelled
        }
    }

    static func id(_ value: UUID) -> JSONValue { .string(value.lowercasedString) }

    static func event(_ topic: Topic, key: UUID, area: String?, _ data: [String: JSONValue]) -> OutboxEvent {
        OutboxEvent(topic: topic, key: key.lowercasedString, area: area, data: .object(data))
    }

    static func pledged(_ pledge: UUID, donorKind: String, depot: UUID, area: String, item: UUID, quantity: Int, drive: UUID?)
        -> OutboxEvent
    {
        var data: [String: JSONValue] = [
            "pledgeId": id(pledge), "donorKind": .string(donorKind), "depotId": id(depot), "itemId": id(item),
            "quantity": .number(Double(quantity)),
        ]
        if let drive { data["driveId"] = id(drive) }
        return event(donationPledged, key: pledge, area: area, data)
    }

    static func received(
        _ receipt: UUID, number: Int64, depot: UUID, area: String, pledge: UUID?, lots: [(lot: UUID, item: UUID, quantity: Int)]
    ) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "receiptId": id(receipt), "receiptNumber": .number(Double(number)), "depotId": id(depot),
            "lots": .array(lots.map { .object(["lotId": id($0.lot), "itemId": id($0.item), "quantity": .number(Double($0.quantity))]) }),
        ]
        if let pledge { data["pledgeId"] = id(pledge) }
        return event(donationReceived, key: receipt, area: area, data)
    }

    static func reservation(_ topic: Topic, _ reservation: Reservation, area: String, extra: [String: JSONValue] = [:]) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "reservationId": id(reservation.id), "depotId": id(reservation.depot), "itemId": id(reservation.item),
            "quantity": .number(Double(reservation.quantity)), "status": .string(reservation.status.rawValue),
        ]
        if let request = reservation.request { data["requestId"] = id(request) }
        data.merge(extra) { $1 }
        return event(topic, key: reservation.id, area: area, data)
    }

    static func runPlanned(_ run: UUID, depot: UUID, area: String, volunteer: UUID, reservations: [UUID]) -> OutboxEvent {
        event(
            dispatchPlanned, key: run, area: area,
            [
                "runId": id(run), "depotId": id(depot), "volunteerId": id(volunteer), "reservationIds": .array(reservations.map(id)),
            ])
    }

    static func lowStock(depot: UUID, item: UUID, area: String, available: Int, minimum: Int, daysOfCover: Double?) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "depotId": id(depot), "itemId": id(item), "available": .number(Double(available)), "minimum": .number(Double(minimum)),
        ]
        if let daysOfCover { data["daysOfCover"] = .number((daysOfCover * 10).rounded() / 10) }
        return OutboxEvent(topic: stockLow, key: depot.lowercasedString + ":" + item.lowercasedString, area: area, data: .object(data))
    }

    /// Stock moved between depots or written off: counted changes of what a depot holds.
    static func stockChanged(_ topic: Topic, depot: UUID, area: String, item: UUID, quantity: Int, extra: [String: JSONValue] = [:])
        -> OutboxEvent
    {
        var data: [String: JSONValue] = ["depotId": id(depot), "itemId": id(item), "quantity": .number(Double(quantity))]
        data.merge(extra) { $1 }
        return event(topic, key: depot, area: area, data)
    }

    static func expiringLot(lot: UUID, depot: UUID, item: UUID, area: String, expiresAt: Date, onHand: Int) -> OutboxEvent {
        event(
            lotExpiring, key: lot, area: area,
            [
                "lotId": id(lot), "depotId": id(depot), "itemId": id(item), "expiresAt": .string(Timestamp.format(expiresAt)),
                "onHand": .number(Double(onHand)),
            ])
    }

    /// An errand purchase's step; `party` is who paid (purchased) or who is paid back
    /// (reimbursed) under its field (``ErrandPurchase/Action/partyField``), by kind and id only.
    static func purchase(
        _ purchase: UUID, request: UUID?, area: String, status: ErrandPurchase.Status, amountFen: Int? = nil,
        party: (field: String, payer: Payer)? = nil
    ) -> OutboxEvent {
        var data: [String: JSONValue] = ["purchaseId": id(purchase), "status": .string(status.rawValue)]
        if let amountFen { data["amountFen"] = .number(Double(amountFen)) }
        if let request { data["requestId"] = id(request) }
        if let party {
            data[party.field + "Kind"] = .string(party.payer.kind.rawValue)
            if let payer = party.payer.id { data[party.field + "Id"] = id(payer) }
        }
        return event(purchaseTopic(status), key: purchase, area: area, data)
    }

    /// A compound's control status changed (or was reported for the first time): codes and
    /// counts only.
    static func compoundStatusChanged(_ compound: AreaCode, _ report: CompoundReport, previous: String?) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "compound": .string(compound.rawValue), "community": .string(compound.parent?.rawValue ?? compound.rawValue),
            "status": .string(report.status.rawValue), "households": .number(Double(report.households)),
        ]
        if let previous { data["previousStatus"] = .string(previous) }
        if let population = report.population { data["population"] = .number(Double(population)) }
        return OutboxEvent(topic: compoundStatusChanged, key: compound.rawValue, area: compound.rawValue, data: .object(data))
    }
}
