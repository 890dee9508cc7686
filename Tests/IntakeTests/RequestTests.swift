import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// Residents' requests: filing, duplicates and merging, cancelling, scope and events.
@Suite struct RequestTests {
    static let staff = IntakeHarness.token(.staff, "320505-001")

    @Test func aResidentFilesARequestAndItIsAnnouncedWithoutPersonalData() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let response = try await client.send(.post, "/v1/requests", json: Fixtures.request(category: "medicine"))
            #expect(response.status == .created)
            #expect(response.json["status"] == .string("open"))
            let list = try await client.send(.get, "/v1/requests", token: Self.staff)
            #expect(list.json["items"].arrayValue.first?["contactPhone"] == .string("139****5678"))
        }
        let event = try #require(try await harness.events("intake.request.created").first)
        #expect(event["category"] == .string("medicine"))
        #expect(event["zone"] == .string("sealed"))
        #expect(event["compound"] == .string("320505-001-001-01"))
        let text = "\(event)"
        #expect(!text.contains("13912345678") && !text.contains("王老伯") && !text.contains("3幢") && !text.contains("氨氯地平"))
    }

    @Test func medicineNeedsTheDrugAndDoseAndAnonymousCallersFileOnlyAsResidents() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            var body = Fixtures.request(category: "medicine").value.objectValue
            body["details"] = .object([:])
            let missing = try await client.send(.post, "/v1/requests", json: Body(body))
            #expect(missing.status == .unprocessableContent)
            #expect(Set(missing.json["errors"].arrayValue.compactMap { $0["field"]?.stringValue }) == ["details/drugName", "details/dose"])
            let impersonating = try await client.send(.post, "/v1/requests", json: Fixtures.request(filedBy: "outreach"))
            #expect(impersonating.status == .unprocessableContent)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM requests") == 0)
    }

    @Test func aRepeatFromTheSameHouseholdIsFlaggedShownBesideTheOriginalAndCanBeMerged() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let original = try await client.send(.post, "/v1/requests", json: Fixtures.request(address: "3幢201室"))
            let repeatRequest = try await client.send(.post, "/v1/requests", json: Fixtures.request(address: "3 幢 201 室"))
            let otherNeed = try await client.send(
                .post, "/v1/requests", json: Fixtures.request(address: "3幢201室", category: "garbage-pickup"))
            let originalID = original.json["id"]!.stringValue!.lowercased()
            #expect(repeatRequest.json["probableDuplicateOf"]?.stringValue?.lowercased() == originalID)
            #expect(otherNeed.json["probableDuplicateOf"] == nil)
            let repeatID = repeatRequest.json["id"]!.stringValue!
            let detail = try await client.send(.get, "/v1/requests/\(repeatID)", token: Self.staff)
            #expect(detail.json["original"]?["id"]?.stringValue?.lowercased() == originalID)
            let merged = try await client.send(
                .post, "/v1/requests/\(repeatID)/merge", token: Self.staff, json: Body(["into": .string(originalID)]))
            #expect(merged.json["status"] == .string("merged"))
            // Both histories are kept.
            let mergedHistory = try await client.send(.get, "/v1/requests/\(repeatID)", token: Self.staff).json["history"].arrayValue
            let originalHistory = try await client.send(.get, "/v1/requests/\(originalID)", token: Self.staff).json["history"].arrayValue
            #expect(mergedHistory.count == 2)
            #expect(originalHistory.last?["cause"]?.stringValue?.hasPrefix("absorbed duplicate") == true)
        }
        #expect(try await harness.events("intake.request.merged").count == 1)
    }

    @Test func cancellingIsAnnouncedAndAnotherStreetCannotTouchOrSeeIt() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let id = try await client.send(.post, "/v1/requests", json: Fixtures.request()).json["id"]!.stringValue!
            let otherStreet = IntakeHarness.token(.staff, "320505-002")
            #expect(
                try await client.send(.post, "/v1/requests/\(id)/cancel", token: otherStreet, json: Body(["reason": .string("x")])).status
                    == .notFound)
            #expect(try await client.send(.get, "/v1/requests", token: otherStreet).json["items"].arrayValue.isEmpty)
            let cancelled = try await client.send(
                .post, "/v1/requests/\(id)/cancel", token: Self.staff, json: Body(["reason": .string("family brought food")]))
            #expect(cancelled.json["status"] == .string("cancelled"))
            #expect(
                try await client.send(.post, "/v1/requests/\(id)/cancel", token: Self.staff, json: Body(["reason": .string("again")]))
                    .status == .conflict)
        }
        let event = try #require(try await harness.events("intake.request.cancelled").first)
        #expect(event["previousStatus"] == .string("open"))
    }

    @Test func theSameIdempotencyKeyTwiceWritesOnceAndAnswersTheSame() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let first = try await client.send(.post, "/v1/requests", idempotencyKey: "k-1", json: Fixtures.request())
            let second = try await client.send(.post, "/v1/requests", idempotencyKey: "k-1", json: Fixtures.request())
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(String(buffer: first.body) == String(buffer: second.body))
            let misuse = try await client.send(.post, "/v1/requests", idempotencyKey: "k-1", json: Fixtures.request(category: "haircut"))
            #expect(misuse.status == .unprocessableContent)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM requests") == 1)
        #expect(try await harness.count("SELECT count(*)::int FROM outbox WHERE topic = 'intake.request.created'") == 1)
    }
}
