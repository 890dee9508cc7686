import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// Cases a review found: each once answered wrongly or let one caller hurt another.
@Suite struct HardeningTests {
    static let staff = IntakeHarness.token(.staff, "320505-001")
    static let device = IntakeHarness.token(.device, "320505-001-001")

    @Test func aControlCharacterIsInvalidAndDoesNotSinkTheOthersSharingItsTransaction() async throws {
        let harness = try await IntakeHarness.create()
        let statuses = Recorder<Int>()
        try await harness.run { client in
            let (round, site) = try await CheckinTests.roundAndSite(client)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<40 {
                    group.addTask {
                        var item = CheckinTests.item(round, site, resident: "R-\(2000 + n)", tube: "TUBE\(2000 + n)").objectValue
                        if n == 7 { item["sampleGroup"] = .string("G\u{0}") }
                        statuses.append(contentsOf: [
                            Int(try await client.send(.post, "/v1/checkins", token: Self.device, json: Body(item)).status.code)
                        ])
                    }
                }
                try await group.waitForAll()
            }
            let text = try await client.send(
                .post, "/v1/requests", json: Body(Fixtures.request().value.objectValue.merging(["address": .string("3幢\u{0}")]) { $1 }))
            #expect(text.status == .badRequest, "refused before decoding: a NUL never reaches PostgreSQL")
        }
        #expect(statuses.all.filter { $0 == 201 }.count == 39)
        #expect(statuses.all.filter { $0 == 422 }.count == 1)
        #expect(try await harness.count("SELECT count(*)::int FROM checkins") == 39)
    }

    @Test func aTubeTwiceInOneBatchIsCreditedToTheResidentWhoseSampleWasStored() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let (round, site) = try await CheckinTests.roundAndSite(client)
            _ = try await client.send(
                .post, "/v1/checkins", token: Self.device,
                json: Body(["items": .array([CheckinTests.item(round, site, resident: "R-A001", tube: "TUBE-X1")])]))
            // R-A001 is already checked in this round: its second item is skipped, R-B001's is stored.
            let answer = try await client.send(
                .post, "/v1/checkins", token: Self.device,
                json: Body([
                    "items": .array([
                        CheckinTests.item(round, site, resident: "R-A001", tube: "TUBE-X2"),
                        CheckinTests.item(round, site, resident: "R-B001", tube: "TUBE-X2"),
                    ])
                ]))
            #expect(answer.json["results"].arrayValue.map { $0["status"]?.stringValue } == ["duplicate", "accepted"])
        }
        #expect(
            try await harness.database.scalar("SELECT resident_code FROM checkins WHERE tube_barcode = 'TUBE-X2'", as: String.self)
                == "R-B001")
    }

    @Test func aScopedOperatorCannotRewriteAnotherDistrictsGeography() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let district = IntakeHarness.token(.operator, "320505")
            let elsewhere = try await client.send(.put, "/v1/areas", token: district, json: [["code": "320115", "name": "renamed"]])
            #expect(elsewhere.status == .unprocessableContent)
            let twice = try await client.send(
                .put, "/v1/areas", token: district, json: [["code": "320505-003", "name": "a"], ["code": "320505-003", "name": "b"]])
            #expect(twice.status == .unprocessableContent)
        }
        #expect(try await harness.database.scalar("SELECT name FROM areas WHERE code = '320115'", as: String.self) == "江宁区")
    }

    @Test func idempotencyKeysBelongToTheirCaller() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let other = IntakeHarness.token(.staff, "320505-001", subject: "someone-else")
            let first = try await client.send(
                .post, "/v1/requests", token: Self.staff, idempotencyKey: "1", json: Fixtures.request(filedBy: "phone-operator"))
            let second = try await client.send(
                .post, "/v1/requests", token: other, idempotencyKey: "1",
                json: Fixtures.request(category: "haircut", filedBy: "phone-operator"))
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(first.json["id"] != second.json["id"])
        }
        #expect(try await harness.count("SELECT count(*)::int FROM requests") == 2)
    }

    @Test func aReferenceToNothingIsTheClientsMistakeNotAServerError() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let team = try await client.send(
                .post, "/v1/teams", token: Self.staff,
                json: Body([
                    "organizationId": .string(UUID().uuidString), "name": .string("健步队"), "area": .string("320505-001-001"),
                ]))
            #expect(team.status == .unprocessableContent)
            #expect(team.json["title"] == .string("Unknown reference"))
        }
    }
}
