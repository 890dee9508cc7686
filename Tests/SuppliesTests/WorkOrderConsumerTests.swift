import EventBus
import Foundation
import Models
import PostgresNIO
import ServiceKit
import Store
import TestSupport
import Testing

@testable import Supplies

/// What supplies does when a work order is filed, cancelled or completed.
@Suite struct WorkOrderConsumerTests {
    static func event(_ topic: Topic, _ data: [String: JSONValue]) -> EventEnvelope {
        EventEnvelope(id: UUID(), topic: topic, seq: 1, stream: topic.stream, occurredAt: Date(), key: "k", data: .object(data))
    }

    @Test func medicineOpensAnErrandAndACancellationReleasesWhatWasHeld() async throws {
        let harness = try await SuppliesHarness.create()
        let request = try #require(UUID(uuidString: try await SuppliesHarness.workOrder(harness)))
        let reserved = Recorder<String>()
        try await harness.run { client in
            let (item, depot) = try await SuppliesHarness.itemAndDepot(client)
            _ = try await SuppliesHarness.receive(client, depot: depot, item: item, [(10, 30)])
            for _ in 0..<2 {
                let answer = try await client.send(
                    .post, "/v1/reservations", token: SuppliesHarness.staff,
                    json: Body([
                        "requestId": .string(request.uuidString), "depotId": .string(depot), "itemId": .string(item),
                        "quantity": .number(3),
                    ]))
                reserved.append(contentsOf: [try #require(answer.json["id"]?.stringValue)])
            }
        }
        _ = try await harness.database.withClient { client in
            let consumer = WorkOrderConsumer(endpoints: ServiceHarness.unusedBus, client: client, logger: .test)
            return try await client.transaction(logger: .test) { connection in
                try await consumer.apply(
                    Self.event(
                        "intake.request.created",
                        [
                            "requestId": .string(UUID().uuidString), "category": .string("medicine"),
                            "compound": .string("320505-001-001-01"),
                        ]), on: connection)
                try await consumer.apply(
                    Self.event(
                        "intake.request.created",
                        [
                            "requestId": .string(UUID().uuidString), "category": .string("groceries"),
                            "compound": .string("320505-001-001-01"),
                        ]), on: connection)
                try await consumer.apply(Self.event("intake.request.cancelled", ["requestId": .string(request.uuidString)]), on: connection)
                try await consumer.apply(Self.event("intake.request.cancelled", ["requestId": .string(request.uuidString)]), on: connection)
            }
        }
        #expect(try await harness.count("SELECT count(*) FROM purchase_tasks WHERE status = 'open' AND area = '320505-001-001-01'") == 1)
        #expect(try await harness.count("SELECT count(*) FROM reservations WHERE status = 'released'") == 2)
        #expect(try await harness.count("SELECT sum(reserved) FROM stock_balances") == 0)
        #expect(try await harness.events("supplies.reservation.released").count == 2)
        try await StockTests.expectLedgerMatchesBalances(harness)
    }
}
