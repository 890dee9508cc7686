import EventBus
import Foundation
import HummingbirdTesting
import Models
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// The volunteer holding a task reads exactly what it needs — the drug, the dose, the
/// address — only while they hold it, and every read is logged for the station.
@Suite struct VolunteerTaskTests {
    /// Matching's announcement about `request`, applied as intake's consumer applies it.
    static func matching(
        _ topic: Topic, _ request: String, volunteer: String? = nil, at: Date = Date(), _ harness: IntakeHarness
    ) async throws {
        var data: [String: JSONValue] = ["requestId": .string(request), "compound": .string("320505-001-001-01")]
        if let volunteer { data["volunteerId"] = .string(volunteer) }
        if topic == "matching.task.completed" { data["hours"] = .number(1) }
        let envelope = EventEnvelope(
            id: UUID(), topic: topic, seq: 1, stream: "matching", occurredAt: at, key: request, data: .object(data))
        _ = try await harness.database.withClient { client in
            let consumer = RequestProgressConsumer(stream: "matching", endpoints: ServiceHarness.unusedBus, client: client, logger: .test)
            return try await client.transaction(logger: .test) { connection in
                try await consumer.apply(envelope, on: connection)
            }
        }
    }

    static func phone(_ volunteer: String) -> String {
        IntakeHarness.token(.volunteer, "320505-001-001", subject: volunteer)
    }

    @Test func theHolderReadsTheDrugDoseAndAddressOnlyWhileHoldingTheTaskAndEachReadIsLogged() async throws {
        let harness = try await IntakeHarness.create()
        let filed = Recorder<String>()
        try await harness.run { client in
            let id = try await client.send(.post, "/v1/requests", json: Fixtures.request(category: "medicine")).json["id"]?.stringValue
            filed.append(contentsOf: [try #require(id)])
        }
        let request = try #require(filed.all.first)
        let (holder, other) = (UUID().lowercasedString, UUID().lowercasedString)
        let staff = IntakeHarness.token(.staff, "320505-001", subject: "station-staff")

        try await Self.matching("matching.request.offered", request, volunteer: holder, harness)
        try await harness.run { client in
            let offered = try await client.send(.get, "/v1/requests/\(request)/task", token: Self.phone(holder))
            #expect(offered.status == .notFound, "an offer is not a task")
        }
        let assignedAt = Date()
        try await Self.matching("matching.request.assigned", request, volunteer: holder, at: assignedAt, harness)
        try await harness.run { client in
            let task = try await client.send(.get, "/v1/requests/\(request)/task", token: Self.phone(holder))
            #expect(task.status == .ok)
            #expect(task.headers[.cacheControl] == "no-store")
            #expect(task.json["details"]?["drugName"] == .string("苯磺酸氨氯地平片"))
            #expect(task.json["details"]?["dose"] == .string("5mg 每日一次"))
            #expect(task.json["address"] == .string("3幢 201室"))
            #expect(task.json["contactPhone"] == nil && task.json["contactName"] == nil, "the station calls the resident")
            #expect(try await client.send(.get, "/v1/requests/\(request)/task", token: Self.phone(other)).status == .notFound)
            #expect(try await client.send(.get, "/v1/requests/\(request)/task", token: staff).status == .forbidden)
            #expect(try await client.send(.get, "/v1/requests/\(UUID())/task", token: Self.phone(holder)).status == .notFound)

            let reads = try await client.send(.get, "/v1/requests/\(request)/task-reads", token: staff)
            #expect(reads.status == .ok)
            #expect(reads.json["reads"].arrayValue.map { $0["reader"] } == [.string(holder)])
            #expect(reads.json["reads"].arrayValue.first?["role"] == .string("volunteer"))
            let elsewhere = IntakeHarness.token(.staff, "320505-002", subject: "other-street")
            #expect(try await client.send(.get, "/v1/requests/\(request)/task-reads", token: elsewhere).status == .notFound)
            #expect(try await client.send(.get, "/v1/requests/\(request)/task-reads", token: Self.phone(holder)).status == .forbidden)
        }

        try await Self.matching("matching.task.completed", request, volunteer: holder, at: assignedAt.addingTimeInterval(60), harness)
        // A replay serving "assigned" after "completed" does not give the task back.
        try await Self.matching("matching.request.assigned", request, volunteer: holder, at: assignedAt, harness)
        try await harness.run { client in
            let completed = try await client.send(.get, "/v1/requests/\(request)/task", token: Self.phone(holder))
            #expect(completed.status == .notFound)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM request_task_reads") == 1, "refused reads are not reads")
    }

    @Test func aTaskTakenBackOrCancelledIsNoLongerReadable() async throws {
        let harness = try await IntakeHarness.create()
        let filed = Recorder<String>()
        try await harness.run { client in
            for address in ["5幢 101室", "6幢 302室"] {
                let id = try await client.send(.post, "/v1/requests", json: Fixtures.request(address: address, category: "medicine"))
                    .json["id"]?.stringValue
                filed.append(contentsOf: [try #require(id)])
            }
        }
        let (withdrawn, cancelled) = (filed.all[0], filed.all[1])
        let holder = UUID().lowercasedString
        let start = Date()
        for request in [withdrawn, cancelled] {
            try await Self.matching("matching.request.assigned", request, volunteer: holder, at: start, harness)
        }
        // The volunteer went off duty: matching offers the task to the next one.
        try await Self.matching("matching.request.offered", withdrawn, volunteer: UUID().lowercasedString, at: start + 30, harness)
        try await harness.run { client in
            #expect(try await client.send(.get, "/v1/requests/\(withdrawn)/task", token: Self.phone(holder)).status == .notFound)
            #expect(try await client.send(.get, "/v1/requests/\(cancelled)/task", token: Self.phone(holder)).status == .ok)
            let staff = IntakeHarness.token(.staff, "320505-001", subject: "station-staff")
            let cancel = try await client.send(
                .post, "/v1/requests/\(cancelled)/cancel", token: staff, json: Body(["reason": .string("the family came home")]))
            #expect(cancel.status == .ok)
            #expect(try await client.send(.get, "/v1/requests/\(cancelled)/task", token: Self.phone(holder)).status == .notFound)
        }
    }
}
