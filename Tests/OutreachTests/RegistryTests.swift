import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Outreach

/// The registry of vulnerable residents: validation, masking, scope and read logging.
@Suite struct RegistryTests {
    @Test func anEntryIsCheckedFieldByFieldAndARefusedOneWritesNothing() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            var form = OutreachHarness.elder().value.objectValue
            form["birthYear"] = .number(1990)
            form["contactPhone"] = .string("1381234")
            form["categories"] = .array([.string("elder-80-plus"), .string("vip")])
            form["compound"] = .string("320505-001")
            let refused = try await client.send(.post, "/v1/residents", token: OutreachHarness.staff, json: Body(form))
            #expect(refused.status == .unprocessableContent)
            let fields = Set(refused.json["errors"].arrayValue.compactMap { $0["field"]?.stringValue })
            #expect(fields == ["contactPhone", "categories/1", "categories", "compound"])
            let unknown = try await client.send(
                .post, "/v1/residents", token: ServiceHarness.token(.operator, nil),
                json: OutreachHarness.elder(compound: "320505-003-001-01"))
            #expect(unknown.status == .unprocessableContent)
        }
        #expect(try await harness.count("SELECT count(*) FROM outreach_residents") == 0)
        #expect(try await harness.count("SELECT count(*) FROM outbox") == 0)
    }

    @Test func listsAreMaskedAndScopedAndTheEventCarriesNoPersonalData() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            let created = try await client.send(.post, "/v1/residents", token: OutreachHarness.staff, json: OutreachHarness.elder())
            #expect(created.status == .created)
            let caller = ServiceHarness.token(.caller, "320505-001-001", subject: "caller-7")
            let page = try await client.send(.get, "/v1/residents", token: caller)
            #expect(page.status == .ok)
            let item = try #require(page.json["items"].arrayValue.first)
            #expect(item["contactPhone"] == .string("138****5678"))
            #expect(item["address"] == nil)
            let elsewhere = ServiceHarness.token(.caller, "320505-002", subject: "caller-9")
            #expect(try await client.send(.get, "/v1/residents", token: elsewhere).json["items"].arrayValue.isEmpty)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(try await client.send(.get, "/v1/residents/\(id)?reason=check", token: elsewhere).status == .notFound)
            #expect(try await client.send(.get, "/v1/residents", token: ServiceHarness.token(.device, nil)).status == .forbidden)
        }
        let events = try await harness.events("outreach.resident.registered")
        #expect(events.count == 1)
        #expect(events.first?["careLevel"] == .string("high"))
        let text = "\(events)"
        #expect(!text.contains("李") && !text.contains("13812345678") && !text.contains("302"))
    }

    @Test func aFullRecordIsReadOnlyWithAReasonAndEveryReadIsLogged() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            let id = try #require(
                try await client.send(.post, "/v1/residents", token: OutreachHarness.staff, json: OutreachHarness.elder()).json["id"]?
                    .stringValue)
            let caller = ServiceHarness.token(.caller, "320505-001", subject: "caller-7")
            let noReason = try await client.send(.get, "/v1/residents/\(id)", token: caller)
            #expect(noReason.status == .unprocessableContent)
            let record = try await client.send(.get, "/v1/residents/\(id)?reason=daily%20follow-up%20call", token: caller)
            #expect(record.status == .ok)
            #expect(record.json["contactPhone"] == .string("13812345678"))
            #expect(record.json["address"] == .string("5幢 302室"))
            let log = try await client.send(.get, "/v1/residents/\(id)/reads", token: OutreachHarness.staff)
            #expect(log.status == .ok)
            let reads = log.json.arrayValue
            #expect(reads.count == 1)
            #expect(reads.first?["reader"] == .string("caller-7"))
            #expect(reads.first?["role"] == .string("caller"))
            #expect(reads.first?["reason"] == .string("daily follow-up call"))
            #expect(try await client.send(.get, "/v1/residents/\(id)/reads", token: caller).status == .forbidden)
        }
    }
}
