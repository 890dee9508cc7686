import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceLifecycle
import Store

/// Follows supplies: a delivery stop that reached the resident (`supplies.dispatch.delivered`
/// with a `runId`) or an errand purchase delivered (`supplies.purchase.delivered`) completes
/// the request's dispatch, so the dispatcher's board stops showing delivered work as
/// `assigned` (``DispatchStore/deliver(_:cause:)``).
///
/// No loop: supplies answers `matching.task.completed` by issuing the stock still held for
/// the request, announced as `supplies.dispatch.delivered` *without* a `runId`; those are
/// ignored here (the dispatch has ended anyway). A redelivered event is dropped by the
/// inbox, and a second delivery of one request finds its dispatch ended and changes nothing.
struct DeliveryConsumer: EventConsumer {
    let endpoints: BusEndpoints
    let client: PostgresClient
    let logger: Logger

    static let stopDelivered = "supplies.dispatch.delivered"
    static let purchaseDelivered = "supplies.purchase.delivered"

    var inbox: String { "matching.deliveries" }
    var prefixes: [String] { [Self.stopDelivered, Self.purchaseDelivered] }

    func apply(_ event: EventEnvelope, on connection: PostgresConnection) async throws {
        let topic = event.topic.rawValue
        guard topic == Self.purchaseDelivered || (topic == Self.stopDelivered && event.data["runId"]?.stringValue != nil),
            let request = event.data["requestId"]?.stringValue.flatMap(UUID.init(uuidString:))
        else { return }
        try await DispatchStore(connection: connection, logger: logger).deliver(request, cause: topic)
    }
}
