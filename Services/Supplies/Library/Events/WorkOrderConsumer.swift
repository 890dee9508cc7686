import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceLifecycle
import Store

/// Follows work orders on the bus: a medicine request opens an errand purchase (the
/// resident's own prescription is rarely in stock); a cancelled or merged request releases
/// what was reserved for it; a completed task issues what is still held for it.
struct WorkOrderConsumer: EventConsumer {
    let inbox = "supplies.work-orders"
    let prefixes = ["intake.request.", "matching.task."]
    let endpoints: BusEndpoints
    let client: PostgresClient
    let logger: Logger

    /// Every request of the batch is locked first, in one order: a batch cancelling several
    /// requests and a batch of reservations for several take those locks alike, so neither
    /// holds one the other waits for while waiting for one the other holds.
    func prepare(_ events: [EventEnvelope], on connection: PostgresConnection) async throws {
        let requests = Set(events.compactMap { $0.data["requestId"]?.stringValue.flatMap(UUID.init(uuidString:)) })
        try await WorkOrders(connection: connection, logger: logger).lock(requests)
    }

    /// Topics of one request may arrive in any order (a replay serves topic by topic), so
    /// an ended request is remembered: a `created` seen after its cancellation opens nothing.
    func apply(_ event: EventEnvelope, on connection: PostgresConnection) async throws {
        guard let request = event.data["requestId"]?.stringValue.flatMap(UUID.init(uuidString:)) else { return }
        let workOrders = WorkOrders(connection: connection, logger: logger)
        try await workOrders.lock(request)
        switch event.topic.rawValue {
        case "intake.request.created":
            guard event.data["category"]?.stringValue == WorkOrderCategory.medicine.rawValue,
                let compound = event.data["compound"]?.stringValue.flatMap(AreaCode.init),
                try await workOrders.ended(request) == nil
            else { return }
            let purchases = PurchaseStore(connection: connection, logger: logger)
            guard try await !purchases.exists(forRequest: request) else { return }
            _ = try await purchases.open(
                request: request, area: compound,
                description: "medicine for work order \(request.lowercasedString) (drug and dose in the request)", actor: "supplies"
            )
        case "intake.request.cancelled", "intake.request.merged":
            let how = event.topic.rawValue == "intake.request.merged" ? "merged" : "cancelled"
            guard try await workOrders.end(request, how: how) else { return }
            let store = ReservationStore(connection: connection, logger: logger)
            for reservation in try await store.lockHeld(forRequest: request) {
                try await store.cancelPendingStop(of: reservation.id, reason: "work order \(how)")
                try await store.end(
                    reservation, as: .released, reason: "work order \(how)", actor: "supplies", topic: SuppliesEvents.reservationReleased
                )
            }
            try await PurchaseStore(connection: connection, logger: logger).cancelOpen(forRequest: request, reason: "work order \(how)")
        case "matching.task.completed":
            let store = ReservationStore(connection: connection, logger: logger)
            for reservation in try await store.lockHeld(forRequest: request) where try await !store.isOnPendingStop(reservation.id) {
                try await store.end(
                    reservation, as: .issued, reason: "handed over with the completed task", actor: "supplies",
                    topic: SuppliesEvents.dispatchDelivered
                )
            }
        default:
            return
        }
    }
}
