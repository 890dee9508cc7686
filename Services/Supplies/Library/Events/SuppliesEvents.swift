import EventBus
import Foundation
import Models

/// The events supplies announces: ids, codes and quantities only (a donor's or resident's
/// name never travels); the fields of each topic are documented in docs/EVENTS.md.
enum SuppliesEvents {
    static func id(_ value: UUID) -> JSONValue { .string(value.uuidString.lowercased()) }

    static func event(_ topic: Topic, key: UUID, area: String?, _ data: [String: JSONValue]) -> OutboxEvent {
        OutboxEvent(topic: topic, key: key.uuidString.lowercased(), area: area, data: .object(data))
    }

    static func pledged(_ pledge: UUID, donorKind: String, depot: UUID, area: String, item: UUID, quantity: Int, drive: UUID?) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "pledgeId": id(pledge), "donorKind": .string(donorKind), "depotId": id(depot), "itemId": id(item), "quantity": .number(Double(quantity)),
        ]
        if let drive { data["driveId"] = id(drive) }
        return event("supplies.donation.pledged", key: pledge, area: area, data)
    }

    static func received(_ receipt: UUID, number: Int64, depot: UUID, area: String, pledge: UUID?, lots: [(lot: UUID, item: UUID, quantity: Int)]) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "receiptId": id(receipt), "receiptNumber": .number(Double(number)), "depotId": id(depot),
            "lots": .array(lots.map { .object(["lotId": id($0.lot), "itemId": id($0.item), "quantity": .number(Double($0.quantity))]) }),
        ]
        if let pledge { data["pledgeId"] = id(pledge) }
        return event("supplies.donation.received", key: receipt, area: area, data)
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

    static func stockLow(depot: UUID, item: UUID, area: String, available: Int, minimum: Int, daysOfCover: Double?) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "depotId": id(depot), "itemId": id(item), "available": .number(Double(available)), "minimum": .number(Double(minimum)),
        ]
        if let daysOfCover { data["daysOfCover"] = .number((daysOfCover * 10).rounded() / 10) }
        return OutboxEvent(
            topic: "supplies.stock.low", key: depot.uuidString.lowercased() + ":" + item.uuidString.lowercased(), area: area, data: .object(data)
        )
    }

    /// Stock moved between depots or written off: counted changes of what a depot holds.
    static func stockChanged(_ topic: Topic, depot: UUID, area: String, item: UUID, quantity: Int, extra: [String: JSONValue] = [:]) -> OutboxEvent {
        var data: [String: JSONValue] = ["depotId": id(depot), "itemId": id(item), "quantity": .number(Double(quantity))]
        data.merge(extra) { $1 }
        return event(topic, key: depot, area: area, data)
    }

    static func lotExpiring(lot: UUID, depot: UUID, item: UUID, area: String, expiresAt: Date, onHand: Int) -> OutboxEvent {
        event("supplies.lot.expiring", key: lot, area: area, [
            "lotId": id(lot), "depotId": id(depot), "itemId": id(item), "expiresAt": .string(Timestamp.format(expiresAt)),
            "onHand": .number(Double(onHand)),
        ])
    }

    static func purchase(_ topic: Topic, _ purchase: UUID, request: UUID?, area: String, status: ErrandPurchase.Status, amountFen: Int? = nil) -> OutboxEvent {
        var data: [String: JSONValue] = ["purchaseId": id(purchase), "status": .string(status.rawValue)]
        if let amountFen { data["amountFen"] = .number(Double(amountFen)) }
        if let request { data["requestId"] = id(request) }
        return event(topic, key: purchase, area: area, data)
    }
}
