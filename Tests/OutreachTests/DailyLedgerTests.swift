import Bus
import EventBus
import Foundation
import HTTPTypes
import Models
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Store
import TestSupport
import Testing

@testable import Outreach

/// The street's daily ledger across services: built from the other streams' events through a
/// real bus, each counted once, per community and China Standard Time day, exported as CSV
/// and XLSX.
@Suite struct DailyLedgerTests {
    static let caller = ServiceHarness.token(.caller, "320505-001", subject: "caller-1")
    static func id() -> JSONValue { .string(UUID().lowercasedString) }

    /// The other services' events of one day, shaped as they publish them (docs/events.schema.json).
    static func othersDay() -> [OutboxEvent] {
        func request(_ topic: Topic, compound: String, status: String, _ extra: [String: JSONValue] = [:]) -> OutboxEvent {
            OutboxEvent(
                topic: topic, key: UUID().lowercasedString, area: compound,
                data: .object(
                    [
                        "requestId": id(), "category": .string("groceries"), "urgency": .string("normal"), "zone": .string("sealed"),
                        "compound": .string(compound), "status": .string(status), "filedBy": .string("resident"),
                    ].merging(extra) { $1 }))
        }
        let changed: Topic = "intake.request.status-changed"
        return [
            request("intake.request.created", compound: "320505-001-001-01", status: "open"),
            request("intake.request.created", compound: "320505-001-001-01", status: "open"),
            request("intake.request.created", compound: "320505-002-001-01", status: "open"),
            request(
                changed, compound: "320505-001-001-01", status: "delivered",
                ["previousStatus": .string("assigned"), "cause": .string("supplies.dispatch.delivered")]),
            request(
                changed, compound: "320505-001-001-01", status: "completed",
                ["previousStatus": .string("delivered"), "cause": .string("matching.task.completed")]),
            OutboxEvent(
                topic: "intake.checkins.recorded", key: UUID().lowercasedString, area: "320505-001-001",
                data: .object([
                    "batchId": id(), "roundId": id(), "siteId": id(), "count": .number(120), "tubeBarcodes": .array([.string("T0001")]),
                ])),
            OutboxEvent(
                topic: "supplies.dispatch.delivered", key: UUID().lowercasedString, area: "320505-001",
                data: .object([
                    "reservationId": id(), "requestId": id(), "depotId": id(), "itemId": id(), "quantity": .number(1),
                    "status": .string("issued"),
                ])),
            OutboxEvent(
                topic: "matching.shift.worked", key: UUID().lowercasedString, area: "320505-001-001",
                data: .object(["assignmentId": id(), "volunteerId": id(), "hours": .number(3.5)])),
            OutboxEvent(
                topic: "matching.task.completed", key: UUID().lowercasedString, area: "320505-001-001-01",
                data: .object([
                    "requestId": id(), "compound": .string("320505-001-001-01"), "volunteerId": id(), "hours": .number(1.25),
                ])),
        ]
    }

    @Test func aStreetsDayIsCountedAcrossServicesOncePerEventAndExported() async throws {
        let harness = try await OutreachHarness.create()
        let testBus = try TestBus.create(harness.database)
        var keys: [String: BusEndpoints] = [:]
        for stream in ["outreach", "intake", "supplies", "matching"] { keys[stream] = try await testBus.client(stream) }
        let streams = keys
        let url = harness.database.url
        let services: @Sendable (PostgresClient) -> [any Service] = { client in
            testBus.services(client: client).services
                + streams.keys.map {
                    OutboxRelay(configuration: RelayConfiguration(stream: $0, database: url, bus: streams[$0]!), logger: .test)
                }
        }
        let today = Timestamp.chinaDay(of: Date())
        try await harness.run(bus: keys["outreach"]!, extraServices: services) { client in
            let resident = try #require(
                try await client.send(.post, "/v1/residents", token: OutreachHarness.staff, json: OutreachHarness.elder()).json["id"]?
                    .stringValue)
            let call = try await client.send(
                .post, "/v1/residents/\(resident)/followups", token: Self.caller, json: Body(["outcome": .string("reached-well")]))
            #expect(call.status == .created)
            let visit = try await client.send(
                .post, "/v1/residents/\(resident)/visits", token: Self.caller,
                json: Body(["assessment": .object(["living": .string("alone")])]))
            #expect(visit.status == .created)
            _ = try await harness.database.withClient { client in
                try await client.transaction(logger: .test) { connection in
                    try await Outbox.append(Self.othersDay(), on: connection, logger: .test)
                }
            }
            let path = "/v1/ledger/daily?area=320505-001&from=\(today)&to=\(today)"
            #expect(
                try await eventually {
                    try await client.send(.get, path, token: OutreachHarness.staff).json["totals"]?["taskHours"] == .number(1.25)
                })
            #expect(
                try await eventually {
                    try await harness.count("SELECT count(*) FROM outreach_ledger_entries") == 8
                }, "every event but the status change between two done statuses")
            let ledger = try await client.send(.get, path, token: OutreachHarness.staff).json
            let rows = ledger["rows"].arrayValue
            #expect(
                rows.compactMap { $0["area"]?.stringValue } == ["320505-001", "320505-001-001"], "the other street's request is not here")
            let community = try #require(rows.last)
            #expect(community["name"] == .string("和平社区"))
            #expect(community["date"] == .string(today))
            for (field, value) in [
                ("requestsFiled", 2.0), ("requestsDone", 1), ("checkins", 120), ("volunteerHours", 4.75), ("shiftHours", 3.5), ("calls", 1),
                ("visits", 1), ("deliveries", 0),
            ] {
                #expect(community[field] == .number(value), "\(field)")
            }
            #expect(rows.first?["deliveries"] == .number(1), "a street depot's delivery is the street's")
            #expect(ledger["totals"]?["deliveries"] == .number(1))

            // An event delivered again (a replay after a crash) counts for nothing.
            let again = try await harness.database.withClient { client in
                let row = try await client.query(
                    "SELECT id, occurred_at FROM outbox WHERE topic = 'intake.request.created' ORDER BY position LIMIT 1", logger: .test
                ).decode((UUID, Date).self).collectAll().first!
                let envelope = EventEnvelope(
                    id: row.0, topic: "intake.request.created", seq: 1, stream: "intake", occurredAt: row.1, key: "k",
                    area: "320505-001-001-01", data: .object([:]))
                let consumer = LedgerConsumer(endpoints: ServiceHarness.unusedBus, client: client, logger: .test)
                return try await Inbox(consumer: consumer.inbox).process([envelope], client: client, logger: .test) { event, connection in
                    try await consumer.apply(event, on: connection)
                }
            }
            #expect(again.isEmpty)
            #expect(try await client.send(.get, path, token: OutreachHarness.staff).json["totals"]?["requestsFiled"] == .number(2))

            // The export: CSV with a BOM for Excel in China, and XLSX, each named for its area and day.
            let csv = try await client.send(.get, path, token: OutreachHarness.staff, headers: [.accept: "text/csv"])
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"ledger-320505-001-\(today).csv\"")
            let bytes = Array(buffer: csv.body)
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 4, "header, two rows, the totals")
            #expect(lines.first?.hasPrefix("日期 (date),区域代码 (area),社区 (name),工单受理 (requestsFiled)") == true)
            #expect(lines[2] == "\(today),320505-001-001,和平社区,2,1,0,120,4.75,3.5,1.25,1,1,0")
            let xlsx = try await client.send(.get, path + "&format=xlsx", token: OutreachHarness.staff)
            #expect(xlsx.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(xlsx.headers[.contentDisposition] == "attachment; filename=\"ledger-320505-001-\(today).xlsx\"")
            #expect(Array(Array(buffer: xlsx.body).prefix(2)) == [0x50, 0x4B], "a zip package")
        }
    }

    @Test func theLedgerIsAskedWithinTheCallersAreaForAtMostAQuarter() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            let other = ServiceHarness.token(.staff, "320505-002")
            #expect(try await client.send(.get, "/v1/ledger/daily?area=320505-001", token: other).status == .forbidden)
            #expect(try await client.send(.get, "/v1/ledger/daily?area=320505-001", token: Self.caller).status == .forbidden)
            #expect(try await client.send(.get, "/v1/ledger/daily?area=320505-001").status == .unauthorized)
            let empty = try await client.send(.get, "/v1/ledger/daily", token: OutreachHarness.staff)
            #expect(empty.status == .ok)
            #expect(empty.json["area"] == .string("320505-001"), "the token's area by default")
            #expect(empty.json["rows"]?.arrayValue.isEmpty == true)
            for (query, field) in [
                ("area=320505-001-001-01", "area"), ("from=2026-11-31", "from"), ("from=2026-11-20&to=2026-11-19", "to"),
                ("from=2026-01-01&to=2026-06-30", "to"), ("format=pdf", "format"), ("from=0000-01-01", "from"),
                ("from=2099-12-31&to=2100-01-01", "to"),
            ] {
                let refused = try await client.send(.get, "/v1/ledger/daily?\(query)", token: OutreachHarness.staff)
                #expect(refused.status == .unprocessableContent, "\(query)")
                #expect(refused.json["errors"]?.arrayValue.first?["field"] == .string(field), "\(query)")
            }
        }
    }
}
