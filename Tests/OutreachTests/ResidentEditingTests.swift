import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Outreach

/// Editing, closing and reopening a registry entry over HTTP: checked like a registration,
/// within role and area, announced with ids and codes only; a closed resident leaves the
/// due list and the campaigns.
@Suite struct ResidentEditingTests {
    static let caller = ServiceHarness.token(.caller, "320505-001", subject: "caller-1")

    @Test func anEditIsCheckedLikeARegistrationWithinAreaAndAnnouncesFieldNamesOnly() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            let id = try #require(
                try await client.send(.post, "/v1/residents", token: OutreachHarness.staff, json: OutreachHarness.elder()).json["id"]?
                    .stringValue)
            let refused = try await client.send(
                .patch, "/v1/residents/\(id)", token: OutreachHarness.staff,
                json: Body(["birthYear": .number(1990), "contactPhone": .string("1381234"), "careLevel": .string("urgent")]))
            #expect(refused.status == .unprocessableContent)
            #expect(
                Set(refused.json["errors"].arrayValue.compactMap { $0["field"]?.stringValue }) == [
                    "categories", "contactPhone", "careLevel",
                ],
                "80+ no longer matches the birth year, as at registration")
            #expect(
                try await client.send(.patch, "/v1/residents/\(id)", token: OutreachHarness.staff, json: Body(["birthYear": .string("x")]))
                    .status == .badRequest)
            let elsewhere = ServiceHarness.token(.staff, "320505-002")
            #expect(
                try await client.send(.patch, "/v1/residents/\(id)", token: elsewhere, json: Body(["notes": .string("x")])).status
                    == .notFound)
            #expect(
                try await client.send(.patch, "/v1/residents/\(id)", token: Self.caller, json: Body(["notes": .string("x")])).status
                    == .forbidden, "callers read the registry; staff keep it")
            #expect(
                try await client.send(
                    .patch, "/v1/residents/\(id)", token: OutreachHarness.staff, json: Body(["compound": .string("320505-002-001-01")])
                ).status == .forbidden, "not into another street")
            #expect(try await harness.events("outreach.resident.updated").isEmpty, "nothing written by a refused edit")

            let edited = try await client.send(
                .patch, "/v1/residents/\(id)", token: OutreachHarness.staff,
                json: Body([
                    "contactPhone": .string("13900001111"), "careLevel": .string("medium"), "carerName": .string("王阿姨"),
                    "address": .string("5幢 302室"),
                ]))
            #expect(edited.status == .ok)
            #expect(edited.json["changed"] == .array([.string("careLevel"), .string("contactPhone"), .string("carerName")]))
            let record = try await client.send(.get, "/v1/residents/\(id)?reason=check", token: OutreachHarness.staff).json
            #expect(record["contactPhone"] == .string("13900001111"))
            #expect(record["careLevel"] == .string("medium"))
            #expect(record["name"] == .string("李奶奶"), "fields not given stay")
            let cleared = try await client.send(
                .patch, "/v1/residents/\(id)", token: OutreachHarness.staff, json: Body(["carerName": .null]))
            #expect(cleared.json["changed"] == .array([.string("carerName")]))
            #expect(try await client.send(.get, "/v1/residents/\(id)?reason=check", token: OutreachHarness.staff).json["carerName"] == nil)
            let unchanged = try await client.send(.patch, "/v1/residents/\(id)", token: OutreachHarness.staff, json: Body([:]))
            #expect(unchanged.json["changed"] == .array([]))
            #expect(
                try await client.send(.patch, "/v1/residents/\(UUID().uuidString)", token: OutreachHarness.staff, json: Body([:])).status
                    == .notFound)
        }
        let events = try await harness.events("outreach.resident.updated")
        #expect(events.count == 2, "an edit that changes nothing is not announced")
        #expect(events.first?["changed"] == .array([.string("careLevel"), .string("contactPhone"), .string("carerName")]))
        #expect(events.first?["careLevel"] == .string("medium"))
        let text = "\(events)"
        #expect(!text.contains("13900001111") && !text.contains("王") && !text.contains("李"))
    }

    @Test func aClosedResidentLeavesFollowUpsAndCampaignsTakesNoEditsAndCanBeReopened() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            let id = try #require(
                try await client.send(.post, "/v1/residents", token: OutreachHarness.staff, json: OutreachHarness.elder()).json["id"]?
                    .stringValue)
            let campaign = try #require(
                try await client.send(
                    .post, "/v1/campaigns", token: OutreachHarness.staff,
                    json: Body([
                        "title": .string("80岁以上老人电话排查"), "area": .string("320505-001"), "callers": .array([.string("caller-1")]),
                    ])
                ).json["id"]?.stringValue)
            #expect(try await client.send(.get, "/v1/followups/due", token: Self.caller).json.arrayValue.count == 1)

            let noReason = try await client.send(.post, "/v1/residents/\(id)/close", token: OutreachHarness.staff, json: Body([:]))
            #expect(noReason.status == .unprocessableContent)
            let elsewhere = ServiceHarness.token(.staff, "320505-002")
            #expect(
                try await client.send(
                    .post, "/v1/residents/\(id)/close", token: elsewhere, json: Body(["reason": .string("moved-away")])
                ).status == .notFound)
            let closed = try await client.send(
                .post, "/v1/residents/\(id)/close", token: OutreachHarness.staff,
                json: Body(["reason": .string("moved-away"), "note": .string("随女儿搬到上海")]))
            #expect(closed.status == .ok)
            #expect(closed.json["status"] == .string("closed"))
            #expect(
                try await client.send(
                    .post, "/v1/residents/\(id)/close", token: OutreachHarness.staff, json: Body(["reason": .string("moved-away")])
                ).status == .conflict)
            #expect(
                try await client.send(.patch, "/v1/residents/\(id)", token: OutreachHarness.staff, json: Body(["notes": .string("x")]))
                    .status == .conflict)
            #expect(try await client.send(.get, "/v1/followups/due", token: Self.caller).json.arrayValue.isEmpty)
            #expect(try await client.send(.post, "/v1/campaigns/\(campaign)/next", token: Self.caller).json["contactId"] == nil)
            let progress = try await client.send(.get, "/v1/campaigns/\(campaign)", token: OutreachHarness.staff).json
            #expect(progress["outcomes"]?["resident-closed"] == .number(1), "the call not made is ended, not left pending")
            let record = try await client.send(.get, "/v1/residents/\(id)?reason=check", token: OutreachHarness.staff).json
            #expect(record["status"] == .string("closed"))
            #expect(record["closedReason"] == .string("moved-away"))
            #expect(record["closedNote"] == .string("随女儿搬到上海"))
            #expect(
                try await client.send(.get, "/v1/residents?status=closed", token: OutreachHarness.staff).json["items"].arrayValue.count
                    == 1)
            let later = try await client.send(
                .post, "/v1/campaigns", token: OutreachHarness.staff,
                json: Body(["title": .string("再次排查"), "area": .string("320505-001"), "callers": .array([.string("caller-1")])]))
            #expect(later.status == .unprocessableContent, "new campaigns pass a closed resident over: nobody is left to call")

            let reopened = try await client.send(.post, "/v1/residents/\(id)/reopen", token: OutreachHarness.staff)
            #expect(reopened.status == .ok)
            #expect(reopened.json["status"] == .string("active"))
            #expect(try await client.send(.post, "/v1/residents/\(id)/reopen", token: OutreachHarness.staff).status == .conflict)
            #expect(try await client.send(.get, "/v1/followups/due", token: Self.caller).json.arrayValue.count == 1, "due again at once")
            #expect(try await client.send(.get, "/v1/residents/\(id)?reason=check", token: OutreachHarness.staff).json["closedAt"] == nil)
        }
        let closedEvents = try await harness.events("outreach.resident.closed")
        #expect(closedEvents.count == 1)
        #expect(closedEvents.first?["reason"] == .string("moved-away"))
        #expect(!"\(closedEvents)".contains("上海"), "the note stays in outreach")
        #expect(try await harness.events("outreach.resident.reopened").count == 1)
    }
}
