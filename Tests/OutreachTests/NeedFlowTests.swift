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

/// A need found on a call becomes a request filed by outreach, and its delivery marks the
/// need fulfilled — through a real bus, with each stream relayed as in production.
@Suite struct NeedFlowTests {
    @Test func aNeedBecomesARequestAndItsDeliveryFulfilsTheNeed() async throws {
        let harness = try await OutreachHarness.create()
        let testBus = try TestBus.create(harness.database)
        let keys = [
            "outreach": try await testBus.client("outreach"), "intake": try await testBus.client("intake"),
            "supplies": try await testBus.client("supplies"),
        ]
        let url = harness.database.url
        let services: @Sendable (PostgresClient) -> [any Service] = { client in
            let relays: [any Service] = ["outreach", "intake", "supplies"].map { stream in
                OutboxRelay(configuration: RelayConfiguration(stream: stream, database: url, bus: keys[stream]!), logger: .test)
            }
            let intakeConsumers: [any Service] = [
                OutreachNeedConsumer(endpoints: keys["intake"]!, client: client, duplicateWindow: .seconds(3600), logger: .test),
                RequestProgressConsumer(stream: "supplies", endpoints: keys["intake"]!, client: client, logger: .test),
            ]
            return testBus.services(client: client).services + relays + intakeConsumers
        }
        try await harness.run(bus: keys["outreach"]!, extraServices: services) { client in
            let caller = ServiceHarness.token(.caller, "320505-001", subject: "caller-7")
            let resident = try #require(
                try await client.send(.post, "/v1/residents", token: OutreachHarness.staff, json: OutreachHarness.elder()).json["id"]?
                    .stringValue)
            let incomplete = try await client.send(
                .post, "/v1/residents/\(resident)/needs", token: caller,
                json: Body([
                    "category": .string("medicine"), "urgency": .string("urgent"), "zone": .string("sealed"), "source": .string("call"),
                ]))
            #expect(incomplete.status == .unprocessableContent, "a medicine need names the drug and dose")
            let identified = try await client.send(
                .post, "/v1/residents/\(resident)/needs", token: caller,
                json: Body([
                    "category": .string("medicine"), "urgency": .string("urgent"), "zone": .string("sealed"), "source": .string("call"),
                    "details": .object(["drugName": .string("苯磺酸氨氯地平片"), "dose": .string("5mg 每日一次")]),
                ]))
            #expect(identified.status == .created)
            let need = try #require(identified.json["id"]?.stringValue)
            // The resident's next routine follow-up is a week away: the fulfilled need must bring it forward.
            _ = try await harness.count(
                "WITH x AS (UPDATE outreach_followups SET next_due_at = now() + interval '7 days' RETURNING 1) SELECT count(*) FROM x")

            #expect(
                try await eventually { try await harness.count("SELECT count(*) FROM requests WHERE outreach_need_id = '\(need)'") == 1 })
            #expect(
                try await eventually {
                    try await client.send(.get, "/v1/needs/\(need)", token: caller).json["status"] == .string("requested")
                })
            let linked = try await client.send(.get, "/v1/needs/\(need)", token: caller).json
            let request = try #require(linked["requestId"]?.stringValue)

            // Supplies delivers: intake moves the request on, and outreach marks the need fulfilled.
            _ = try await harness.database.withClient { client in
                try await client.transaction(logger: .test) { connection in
                    try await Outbox.append(
                        // Shaped as supplies publishes it (docs/events.schema.json).
                        OutboxEvent(
                            topic: "supplies.dispatch.delivered", key: request,
                            data: .object([
                                "requestId": .string(request), "reservationId": .string(UUID().lowercasedString),
                                "depotId": .string(UUID().lowercasedString),
                                "itemId": .string(UUID().lowercasedString), "quantity": .number(1), "status": .string("issued"),
                            ])),
                        on: connection, logger: .test
                    )
                }
            }
            #expect(
                try await eventually {
                    try await client.send(.get, "/v1/needs/\(need)", token: caller).json["status"] == .string("fulfilled")
                })
            // The follow-up call falls due the next day (电话后续跟进), and doing it announces the
            // work order as followed up.
            let hours = try await harness.database.scalar(
                "SELECT round(extract(epoch FROM next_due_at - now()) / 3600)::int FROM outreach_followups WHERE \(UUID(uuidString: need)!) = ANY(pending_need_ids)",
                as: Int.self
            )
            #expect(hours == 24)
            let done = try await client.send(
                .post, "/v1/residents/\(resident)/followups", token: caller, json: Body(["outcome": .string("reached-well")]))
            #expect(done.status == .created)
            let completed = try await harness.events("outreach.followup.completed")
            #expect(completed.last?["requestId"]?.stringValue == request)
        }
        let row = try await harness.database.withClient { client in
            try await client.query(
                "SELECT filed_by, contact_phone, address, category, details->>'drugName', status FROM requests", logger: .test
            ).decode((String, String, String, String, String?, String).self).collectAll().first
        }
        let (filedBy, phone, address, category, drug, status) = try #require(row)
        #expect(filedBy == "outreach" && phone == "13812345678" && address == "5幢 302室" && category == "medicine")
        #expect(drug == "苯磺酸氨氯地平片")
        #expect(status == "delivered")
        let created = try await harness.events("intake.request.created")
        #expect(created.count == 1)
        #expect(created.first?["filedBy"] == .string("outreach"))
        #expect(created.first?["needId"] != nil)
        let identifiedEvents = try await harness.events("outreach.need.identified")
        let announced = "\(created)\(identifiedEvents)"
        #expect(!announced.contains("13812345678") && !announced.contains("302") && !announced.contains("李") && !announced.contains("氨氯地平"))
    }
}
