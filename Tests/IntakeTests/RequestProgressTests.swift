import Bus
import EventBus
import Foundation
import Models
import PostgresNIO
import ServiceKit
import Store
import TestSupport
import Testing

@testable import Intake

/// Other services' events move a request on, through a real bus.
@Suite struct RequestProgressTests {
    @Test func matchingAndSuppliesEventsMoveARequestForwardOnceEach() async throws {
        let harness = try await IntakeHarness.create()
        let bus = try TestBus.create(harness.database)
        let keys = [
            "matching": try await bus.client("matching"), "supplies": try await bus.client("supplies"),
            "intake": try await bus.client("intake"),
        ]
        let filed = Recorder<String>()
        try await harness.run { client in
            filed.append(contentsOf: [try await client.send(.post, "/v1/requests", json: Fixtures.request()).json["id"]!.stringValue!])
        }
        let requestID = try #require(filed.all.first)
        let id = try #require(UUID(uuidString: requestID))
        try await harness.database.withClient { client in
            // What matching and supplies write in their own transactions. Streams are not
            // ordered with each other, so each step waits for the one before it.
            func announce(_ topic: Topic) async throws {
                try await client.transaction(logger: .test) { connection in
                    // Shaped as the other service publishes it (docs/events.schema.json).
                    let data: [String: JSONValue] =
                        topic == "matching.request.assigned"
                        ? [
                            "requestId": .string(requestID), "compound": .string("320505-001-001-01"),
                            "volunteerId": .string(UUID().lowercasedString),
                        ]
                        : [
                            "requestId": .string(requestID), "reservationId": .string(UUID().lowercasedString),
                            "depotId": .string(UUID().lowercasedString),
                            "itemId": .string(UUID().lowercasedString), "quantity": .number(1), "status": .string("issued"),
                        ]
                    try await Outbox.append(OutboxEvent(topic: topic, key: requestID, data: .object(data)), on: connection, logger: .test)
                }
            }
            func changes() async throws -> Int {
                try await harness.count("SELECT count(*)::int FROM outbox WHERE topic = 'intake.request.status-changed'")
            }
            let relays = ["matching", "supplies"].map { stream in
                OutboxRelay(
                    configuration: RelayConfiguration(stream: stream, database: harness.database.url, bus: keys[stream]!), logger: .test)
            }
            let consumers = ["matching", "supplies"].map { stream in
                RequestProgressConsumer(stream: stream, endpoints: keys["intake"]!, client: client, logger: .test)
            }
            try await withRunningServices(bus.services(client: client).services + relays + consumers) {
                try await announce("matching.request.assigned")
                #expect(try await eventually { try await changes() == 1 })
                try await announce("supplies.dispatch.delivered")
                #expect(try await eventually { try await changes() == 2 })
                // A late repeat of "assigned" must not move the request back.
                try await announce("matching.request.assigned")
                try await Task.sleep(for: .seconds(1))
                #expect(try await changes() == 2)
            }
        }
        let status = try await harness.database.scalar("SELECT status FROM requests WHERE id = \(id)", as: String.self)
        #expect(status == "delivered")
        let changes = try await harness.events("intake.request.status-changed")
        #expect(changes.map { $0["status"]?.stringValue } == ["assigned", "delivered"])
        #expect(changes.map { $0["cause"]?.stringValue } == ["matching.request.assigned", "supplies.dispatch.delivered"])
    }
}
