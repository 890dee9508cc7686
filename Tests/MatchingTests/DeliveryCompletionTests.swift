import Bus
import EventBus
import Foundation
import HummingbirdTesting
import Intake
import Models
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Store
import TestSupport
import Testing

@testable import Matching

/// Supplies' deliveries complete the request's dispatch, so the board does not keep
/// delivered work as `assigned`; supplies' own echo of a completion changes nothing.
@Suite struct DeliveryCompletionTests {
    static func delivered(_ topic: Topic, _ data: [String: JSONValue], _ harness: ServiceHarness) async throws {
        _ = try await harness.database.withClient { client in
            let consumer = DeliveryConsumer(endpoints: ServiceHarness.unusedBus, client: client, logger: .test)
            return try await client.transaction(logger: .test) { connection in
                try await consumer.apply(
                    EventEnvelope(id: UUID(), topic: topic, seq: 1, stream: "supplies", occurredAt: Date(), key: "k", data: .object(data)),
                    on: connection)
            }
        }
    }

    /// A stop of a delivery run, as supplies announces it; `run: false` is the stock supplies
    /// issues because a task completed.
    static func stop(_ request: UUID, run: Bool) -> [String: JSONValue] {
        var data: [String: JSONValue] = [
            "reservationId": .string(UUID().lowercasedString), "requestId": .string(request.lowercasedString),
            "depotId": .string(UUID().lowercasedString), "itemId": .string(UUID().lowercasedString), "quantity": .number(1),
            "status": .string("issued"),
        ]
        if run {
            data["runId"] = .string(UUID().lowercasedString)
            data["stopId"] = .string(UUID().lowercasedString)
        }
        return data
    }

    static func status(_ request: UUID, _ harness: ServiceHarness) async throws -> String? {
        try await harness.database.scalar("SELECT status FROM dispatches WHERE request_id = \(request)", as: String.self)
    }

    @Test func aTaskDeliveredOnARunIsCompletedOnceAndLeavesTheBoard() async throws {
        let harness = try await RosterPlanningTests.create()
        let people = try await DispatchTests.volunteers(harness)
        let request = UUID()
        try await OffDutyDispatchTests.created(request, harness)
        try await harness.run { client in
            let accepted = try await client.send(
                .post, "/v1/dispatches/\(request)/accept", token: OwnViewTests.phone(people[0]), json: Body([:]))
            #expect(accepted.json["status"] == .string("assigned"))
        }
        // Stock issued because some task completed (no run): not a delivery of this task's.
        try await Self.delivered("supplies.dispatch.delivered", Self.stop(request, run: false), harness)
        #expect(try await Self.status(request, harness) == "assigned")

        try await Self.delivered("supplies.dispatch.delivered", Self.stop(request, run: true), harness)
        #expect(try await Self.status(request, harness) == "completed")
        let completions = try await harness.events("matching.task.completed")
        #expect(completions.count == 1)
        #expect(completions.first?["volunteerId"]?.stringValue == people[0].uuidString.lowercased())
        #expect(completions.first?["hours"] == .number(0), "no hours were reported; the station corrects the entry")
        #expect(
            try await harness.count(
                "SELECT count(*)::int FROM service_hours WHERE source = 'task' AND source_id = '\(request)' AND hours = 0")
                == 1)

        // A second stop of the same request, and supplies' echo of the completion: nothing more.
        try await Self.delivered("supplies.dispatch.delivered", Self.stop(request, run: true), harness)
        try await Self.delivered("supplies.dispatch.delivered", Self.stop(request, run: false), harness)
        #expect(try await harness.events("matching.task.completed").count == 1)
        try await harness.run { client in
            #expect(try await client.send(.get, "/v1/dispatch-board", token: DispatchTests.dispatcher).json.arrayValue.isEmpty)
            let late = try await client.send(
                .post, "/v1/dispatches/\(request)/complete", token: OwnViewTests.phone(people[0]), json: Body(["hours": .number(1)]))
            #expect(late.status == .conflict)
            #expect(late.json["detail"]?.stringValue?.contains("already completed") == true)
        }
    }

    /// The whole way: supplies' relay publishes a delivered stop on a real bus, matching's
    /// consumer (subscribed with its own key) completes the dispatch, and the board drops it.
    @Test func aDeliveredStopPublishedOnTheBusCompletesTheDispatch() async throws {
        let harness = try await RosterPlanningTests.create()
        let people = try await DispatchTests.volunteers(harness)
        let request = UUID()
        try await OffDutyDispatchTests.created(request, harness)
        let testBus = try TestBus.create(harness.database)
        let matching = try await testBus.client("matching")
        let supplies = try await testBus.client("supplies")
        let url = harness.database.url
        let services: @Sendable (PostgresClient) -> [any Service] = { client in
            testBus.services(client: client).services + [
                OutboxRelay(configuration: RelayConfiguration(stream: "supplies", database: url, bus: supplies), logger: .test)
            ]
        }
        try await harness.run(bus: matching, extraServices: services) { client in
            let accepted = try await client.send(
                .post, "/v1/dispatches/\(request)/accept", token: OwnViewTests.phone(people[0]), json: Body([:]))
            #expect(accepted.json["status"] == .string("assigned"))
            _ = try await harness.database.withClient { client in
                try await client.transaction(logger: .test) { connection in
                    try await Outbox.append(
                        [
                            OutboxEvent(
                                topic: "supplies.dispatch.delivered", key: UUID().lowercasedString, area: "320505-001",
                                data: .object(Self.stop(request, run: true)))
                        ], on: connection, logger: .test)
                }
            }
            #expect(try await eventually { try await Self.status(request, harness) == "completed" }, "completed through the bus")
            #expect(try await client.send(.get, "/v1/dispatch-board", token: DispatchTests.dispatcher).json.arrayValue.isEmpty)
        }
        #expect(try await harness.events("matching.task.completed").count == 1)
    }

    @Test func aPurchaseDeliveredBeforeAnyoneTookTheRequestEndsTheOffer() async throws {
        let harness = try await RosterPlanningTests.create()
        let people = try await DispatchTests.volunteers(harness)
        let request = UUID()
        try await OffDutyDispatchTests.created(request, harness)
        #expect(try await Self.status(request, harness) == "offering")
        try await Self.delivered(
            "supplies.purchase.delivered",
            [
                "purchaseId": .string(UUID().lowercasedString), "requestId": .string(request.lowercasedString),
                "status": .string("delivered"),
            ],
            harness)
        #expect(try await Self.status(request, harness) == "completed")
        #expect(try await harness.events("matching.request.released").count == 1)
        #expect(try await harness.events("matching.task.completed").isEmpty)
        try await harness.run { client in
            #expect(try await client.send(.get, "/v1/dispatch-board", token: DispatchTests.dispatcher).json.arrayValue.isEmpty)
            #expect(try await client.send(.get, "/v1/me/offers", token: OwnViewTests.phone(people[0])).json.arrayValue.isEmpty)
            let accept = try await client.send(
                .post, "/v1/dispatches/\(request)/accept", token: OwnViewTests.phone(people[0]), json: Body([:]))
            #expect(accept.status == .conflict, "the offer ended with the delivery")
        }
    }
}
