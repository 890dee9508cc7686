import EventBus
import Foundation
import HummingbirdTesting
import Models
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Matching

/// The same rule against a real database: a suspended volunteer's accept is refused, and
/// intake's announcement moves their offer and their task on.
@Suite struct OffDutyDispatchTests {
    static func created(_ request: UUID, _ harness: ServiceHarness) async throws {
        _ = try await harness.database.withClient { client in
            let consumer = DispatchConsumer(endpoints: ServiceHarness.unusedBus, client: client, logger: .test)
            return try await client.transaction(logger: .test) { connection in
                try await consumer.apply(
                    DispatchTests.event(
                        "intake.request.created",
                        [
                            "requestId": .string(request.uuidString), "compound": .string("320505-001-001-01"),
                            "category": .string("medicine"), "urgency": .string("urgent"),
                        ]), on: connection)
            }
        }
    }

    /// Intake's side of a suspension: the row changes, then the event arrives.
    static func suspend(_ volunteer: UUID, _ harness: ServiceHarness, announce: Bool = true) async throws {
        _ = try await harness.count(
            "WITH x AS (UPDATE volunteers SET status = 'suspended' WHERE id = '\(volunteer)' RETURNING 1) SELECT count(*) FROM x")
        guard announce else { return }
        _ = try await harness.database.withClient { client in
            let consumer = DispatchConsumer(endpoints: ServiceHarness.unusedBus, client: client, logger: .test)
            return try await client.transaction(logger: .test) { connection in
                try await consumer.apply(
                    DispatchTests.event("intake.volunteer.suspended", ["volunteerId": .string(volunteer.uuidString.lowercased())]),
                    on: connection)
            }
        }
    }

    @Test func aSuspendedVolunteerCannotAcceptAndTheirOfferMovesOnToTheNext() async throws {
        let harness = try await RosterPlanningTests.create()
        let people = try await DispatchTests.volunteers(harness)
        let request = UUID()
        try await Self.created(request, harness)
        // Suspended for a fever; the bus has not delivered the news to matching yet.
        try await Self.suspend(people[0], harness, announce: false)
        try await harness.run { client in
            let phone = ServiceHarness.token(.volunteer, "320505-001-001", subject: people[0].uuidString.lowercased())
            let accept = try await client.send(.post, "/v1/dispatches/\(request)/accept", token: phone, json: Body([:]))
            #expect(accept.status == .conflict)
            #expect(accept.json["detail"]?.stringValue?.contains("suspended") == true)
        }
        #expect(
            try await harness.database.scalar("SELECT status FROM dispatches WHERE request_id = \(request)", as: String.self) == "offering")
        try await Self.suspend(people[0], harness)
        try await harness.run { client in
            let board = try await client.send(.get, "/v1/dispatch-board", token: DispatchTests.dispatcher).json.arrayValue
            #expect(board.first?["holder"]?.stringValue == people[1].uuidString.lowercased())
            #expect(board.first?["status"] == .string("offering"))
        }
        #expect(
            try await harness.count("SELECT count(*)::int FROM dispatch_history WHERE request_id = '\(request)' AND event = 'withdrawn'")
                == 1)
        let offers = try await harness.events("matching.request.offered").compactMap { $0["volunteerId"]?.stringValue }
        #expect(offers == [people[0], people[1]].map { $0.uuidString.lowercased() })
    }

    @Test func aTaskAssignedToAVolunteerTakenOffDutyIsOfferedToSomeoneAvailableNow() async throws {
        let harness = try await RosterPlanningTests.create()
        let people = try await DispatchTests.volunteers(harness)
        let request = UUID()
        try await Self.created(request, harness)
        try await harness.run { client in
            let accepted = try await client.send(
                .post, "/v1/dispatches/\(request)/accept", token: DispatchTests.dispatcher,
                json: Body(["volunteerId": .string(people[0].uuidString)])
            )
            #expect(accepted.json["status"] == .string("assigned"))
        }
        try await Self.suspend(people[0], harness)
        #expect(
            try await harness.database.scalar("SELECT holder FROM dispatches WHERE request_id = \(request)", as: UUID.self) == people[1])
        #expect(
            try await harness.database.scalar("SELECT status FROM dispatches WHERE request_id = \(request)", as: String.self) == "offering")
        // Announced twice (a redelivery is the inbox's to drop, but the rule holds anyway): nothing moves again.
        try await Self.suspend(people[0], harness)
        #expect(try await harness.events("matching.request.offered").count == 2)
    }
}
