import EventBus
import Foundation
import Hummingbird
import HummingbirdTesting
import Models
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Intake
@testable import Outreach

/// Issue 14: the registry's rule — a full record only with a stated reason, every read
/// logged — holds for intake's copy of an outreach need too. Intake shows the work order
/// with what dispatching needs; the resident's address, contact, phone and medicine are read
/// from outreach with a reason, and that read lands in the registry's read log.
@Suite struct NeedCopyTests {
    static let caller = ServiceHarness.token(.caller, "320505-001", subject: "caller-7")
    static let dispatcher = ServiceHarness.token(.dispatcher, "320505-001", subject: "dispatcher-3")

    @Test func intakesCopyShowsNoPersonalDataAndTheFullContactNeedsAReasonAndIsLogged() async throws {
        let harness = try await OutreachHarness.create()
        let ids = Recorder<String>()
        try await harness.run { client in
            let resident = try #require(
                try await client.send(.post, "/v1/residents", token: OutreachHarness.staff, json: OutreachHarness.elder()).json["id"]?
                    .stringValue)
            let need = try await client.send(
                .post, "/v1/residents/\(resident)/needs", token: Self.caller,
                json: Body([
                    "category": .string("medicine"), "urgency": .string("urgent"), "zone": .string("sealed"), "source": .string("call"),
                    "details": .object(["drugName": .string("苯磺酸氨氯地平片"), "dose": .string("5mg 每日一次")]),
                ]))
            #expect(need.status == .created)
            ids.append(contentsOf: [resident, try #require(need.json["id"]?.stringValue)])
        }
        let (resident, need) = (ids.all[0], ids.all[1])
        // Intake files the request from the event outreach wrote, as its consumer does off the bus.
        try await Self.fileNeeds(harness)
        #expect(try await harness.count("SELECT count(*)::int FROM requests WHERE outreach_need_id = '\(need)'") == 1)
        // Whole values only: a bare "302" also turns up inside random ids.
        let personal = ["13812345678", "5幢 302室", "李", "氨氯地平", "5mg"]

        try await Self.withIntake(harness) { intake in
            for token in [Self.dispatcher, Self.caller, ServiceHarness.token(.operator, nil)] {
                let list = try await intake.send(.get, "/v1/requests", token: token)
                #expect(list.status == .ok)
                let item = try #require(list.json["items"].arrayValue.first)
                let detail = try await intake.send(.get, "/v1/requests/\(item["id"]!.stringValue!)", token: token)
                #expect(detail.status == .ok)
                let shown = String(buffer: list.body) + String(buffer: detail.body)
                for text in personal { #expect(!shown.contains(text), "intake shows \(text) without a reason") }
                #expect(detail.json["request"]?["outreachNeedId"]?.stringValue == need, "the request says where the full contact is read")
                #expect(detail.json["request"]?["contactPhone"] == .string("138****5678"))
                #expect(detail.json["request"]?["compound"] == .string("320505-001-001-01"))
                #expect(detail.json["request"]?["category"] == .string("medicine"))
            }
            // A request a resident filed themselves is shown in full, as before.
            let own = try await intake.send(
                .post, "/v1/requests",
                json: Body([
                    "category": .string("groceries"), "urgency": .string("normal"), "compound": .string("320505-001-001-01"),
                    "address": .string("9幢 101室"),
                    "zone": .string("sealed"), "contactName": .string("王老伯"), "contactPhone": .string("13912345678"),
                    "filedBy": .string("resident"),
                ]))
            let ownDetail = try await intake.send(.get, "/v1/requests/\(own.json["id"]!.stringValue!)", token: Self.dispatcher)
            #expect(ownDetail.json["request"]?["contactPhone"] == .string("13912345678"))
            #expect(ownDetail.json["request"]?["address"] == .string("9幢 101室"))
        }

        try await harness.run { client in
            let withoutReason = try await client.send(.get, "/v1/needs/\(need)/contact", token: Self.dispatcher)
            #expect(withoutReason.status == .unprocessableContent)
            let otherStreet = ServiceHarness.token(.dispatcher, "320505-002", subject: "dispatcher-9")
            #expect(try await client.send(.get, "/v1/needs/\(need)/contact?reason=deliver", token: otherStreet).status == .notFound)
            #expect(try await client.send(.get, "/v1/needs/\(UUID())/contact?reason=deliver", token: Self.dispatcher).status == .notFound)
            let contact = try await client.send(
                .get, "/v1/needs/\(need)/contact?reason=\("送药上门".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)",
                token: Self.dispatcher)
            #expect(contact.status == .ok)
            #expect(contact.json["contactPhone"] == .string("13812345678"))
            #expect(contact.json["address"] == .string("5幢 302室"))
            #expect(contact.json["details"]?["drugName"] == .string("苯磺酸氨氯地平片"))
            #expect(contact.json["idNumber"] == nil, "the contact is what a delivery needs, not the whole record")
            let reads = try await client.send(.get, "/v1/residents/\(resident)/reads", token: OutreachHarness.staff).json.arrayValue
            #expect(
                reads.contains {
                    $0["reader"] == .string("dispatcher-3") && $0["role"] == .string("dispatcher")
                        && $0["reason"]?.stringValue?.contains("送药上门") == true
                })
            #expect(!reads.contains { $0["reader"] == .string("dispatcher-9") }, "a refused read reads nothing")
        }
        // Nothing personal went on the bus on the way.
        let events = try await harness.database.withClient { client in
            try await client.query("SELECT string_agg(data::text, ' ') FROM outbox", logger: .test).decode(String?.self).collectAll().first
                ?? nil
        }
        for text in personal { #expect(!(events ?? "").contains(text)) }
    }

    /// Hands every `outreach.need.identified` in the outbox to intake's consumer.
    static func fileNeeds(_ harness: ServiceHarness) async throws {
        try await harness.database.withClient { client in
            let rows = try await client.query(
                "SELECT id, data::text FROM outbox WHERE topic = 'outreach.need.identified' ORDER BY position", logger: .test
            ).decode((UUID, String).self).collectAll()
            let consumer = OutreachNeedConsumer(
                endpoints: ServiceHarness.unusedBus, client: client, duplicateWindow: .seconds(3600), logger: .test)
            for (id, data) in rows {
                let event = EventEnvelope(
                    id: id, topic: "outreach.need.identified", seq: 1, stream: "outreach", occurredAt: Date(), key: "need",
                    data: try JSONParser.parse(Array(data.utf8))
                )
                try await client.transaction(logger: .test) { connection in try await consumer.apply(event, on: connection) }
            }
        }
    }

    /// Intake's router on the same database, as a second service beside outreach.
    static func withIntake(_ harness: ServiceHarness, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void)
        async throws
    {
        try await harness.database.withClient { client in
            var configuration = ServiceConfiguration(database: harness.database.url, bus: ServiceHarness.unusedBus, httpPort: 0)
            configuration.tokenSecret = ServiceHarness.secret
            let dependencies = ServiceDependencies(service: "intake", client: client, configuration: configuration, logger: .test)
            let (router, _) = ServiceApplication.buildRouter(
                IntakeService.description, dependencies: dependencies, registry: Observability.bootstrap(logLevel: .warning))
            try await Application(router: router, logger: .test).test(.router) { client in try await body(client) }
        }
    }
}
