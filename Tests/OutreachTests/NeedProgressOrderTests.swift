import Bus
import EventBus
import Foundation
import Models
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Store
import TestSupport
import Testing

@testable import Intake
@testable import Outreach

/// The need follows its request whatever order the request's topics arrive in.
@Suite struct NeedProgressOrderTests {
    static func event(_ topic: Topic, _ data: [String: JSONValue]) -> EventEnvelope {
        EventEnvelope(id: UUID(), topic: topic, seq: 1, stream: "intake", occurredAt: Date(), key: "k", data: .object(data))
    }

    @Test func aCancellationSeenBeforeTheCreationStillClosesTheNeedAndAMergeIsFollowed() async throws {
        let harness = try await OutreachHarness.create()
        let caller = ServiceHarness.token(.caller, "320505-001", subject: "caller-7")
        let needs = Recorder<String>()
        try await harness.run { client in
            let resident = try #require(
                try await client.send(.post, "/v1/residents", token: OutreachHarness.staff, json: OutreachHarness.elder()).json["id"]?
                    .stringValue)
            for _ in 0..<2 {
                let need = try await client.send(
                    .post, "/v1/residents/\(resident)/needs", token: caller,
                    json: Body([
                        "category": .string("groceries"), "urgency": .string("normal"), "zone": .string("sealed"),
                        "source": .string("visit"),
                    ]))
                needs.append(contentsOf: [try #require(need.json["id"]?.stringValue)])
            }
        }
        let (cancelledNeed, mergedNeed) = (needs.all[0], needs.all[1])
        let cancelled = UUID()
        let duplicate = UUID()
        let survivor = UUID()
        _ = try await harness.database.withClient { client in
            let consumer = NeedProgressConsumer(endpoints: ServiceHarness.unusedBus, client: client, logger: .test)
            return try await client.transaction(logger: .test) { connection in
                for (id, status, merged) in [
                    (survivor, "delivered", nil), (cancelled, "cancelled", nil), (duplicate, "merged", Optional(survivor)),
                ] {
                    try await connection.query(
                        """
                        INSERT INTO requests (id, category, urgency, compound, address, zone, contact_name, contact_phone, filed_by, household_key, status, merged_into)
                        VALUES (\(id), 'groceries', 'normal', '320505-001-001-01', 'a', 'sealed', 'n', '13812345678', 'outreach', 'k', \(status), \(merged))
                        """,
                        logger: .test
                    )
                }
                // Replay order: "cancelled" sorts before "created".
                try await consumer.apply(
                    Self.event("intake.request.cancelled", ["requestId": .string(cancelled.uuidString)]), on: connection)
                try await consumer.apply(
                    Self.event("intake.request.created", ["requestId": .string(cancelled.uuidString), "needId": .string(cancelledNeed)]),
                    on: connection)
                try await consumer.apply(
                    Self.event("intake.request.created", ["requestId": .string(duplicate.uuidString), "needId": .string(mergedNeed)]),
                    on: connection)
            }
        }
        let states = try await harness.database.withClient { client in
            try await client.query("SELECT id::text, status, request_id FROM outreach_needs", logger: .test).decode(
                (String, String, UUID?).self
            ).collectAll()
        }
        let byNeed = Dictionary(uniqueKeysWithValues: states.map { ($0.0, ($0.1, $0.2)) })
        #expect(byNeed[cancelledNeed]?.0 == "closed")
        #expect(byNeed[mergedNeed]?.0 == "fulfilled")
        #expect(byNeed[mergedNeed]?.1 == survivor)
    }
}
