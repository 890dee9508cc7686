import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// Pooled sampling (十混一 / 二十混一): up to the round's pool size of residents share a tube.
@Suite struct PooledSamplingTests {
    static let staff = CheckinTests.staff
    static let device = CheckinTests.device

    /// A round of `poolSize` residents a tube, with one site; returns both ids.
    static func round(_ client: any TestClientProtocol, poolSize: Int) async throws -> (round: String, site: String) {
        let round = try await client.send(
            .post, "/v1/testing-rounds", token: staff,
            json: Body([
                "name": .string("十混一全员核酸"), "area": .string("320505-001"), "startsAt": .string("2026-11-25T00:00:00Z"),
                "endsAt": .string("2026-11-26T00:00:00Z"), "poolSize": .number(Double(poolSize)),
            ]))
        #expect(round.status == .created)
        let site = try await client.send(
            .post, "/v1/testing-rounds/\(round.json["id"]!.stringValue!)/sites", token: staff,
            json: Body([
                "area": .string("320505-001-001"), "name": .string("和平社区广场"), "opensAt": .string("07:00"), "closesAt": .string("19:00"),
                "expectedPopulation": .number(3000),
            ]))
        return (round.json["id"]!.stringValue!, site.json["id"]!.stringValue!)
    }

    static func item(_ round: String, _ site: String, resident: String, tube: String, group: String = "G-0001") -> JSONValue {
        var item = CheckinTests.item(round, site, resident: resident, tube: tube).objectValue
        item["sampleGroup"] = .string(group)
        return .object(item)
    }

    @Test func aTenInOneTubeTakesTenResidentsRefusesTheEleventhAndAResendChangesNothing() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let (round, site) = try await Self.round(client, poolSize: 10)
            let items = (1...11).map { Self.item(round, site, resident: "R-00\(10 + $0)", tube: "TUBE-P0001") }
            let answer = try await client.send(.post, "/v1/checkins", token: Self.device, json: Body(["items": .array(items)]))
            #expect(answer.status == .ok)
            #expect(answer.json["accepted"]?.intValue == 10)
            #expect(answer.json["refused"]?.intValue == 1)
            let last = answer.json["results"].arrayValue[10]
            #expect(last["status"] == .string("refused"))
            #expect(last["reason"]?.stringValue?.contains("10 residents") == true)
            // The device lost the answer and sends the batch again: the ten are duplicates,
            // the eleventh is refused again.
            let resend = try await client.send(.post, "/v1/checkins", token: Self.device, json: Body(["items": .array(items)]))
            #expect(resend.json["duplicates"]?.intValue == 10)
            #expect(resend.json["refused"]?.intValue == 1)
            // The eleventh resident in a new tube is fine.
            let moved = try await client.send(
                .post, "/v1/checkins", token: Self.device,
                json: Body(Self.item(round, site, resident: "R-0021", tube: "TUBE-P0002").objectValue))
            #expect(moved.status == .created)
            let progress = try await client.send(.get, "/v1/testing-rounds/\(round)/progress", token: Self.staff)
            #expect(progress.json["poolSize"]?.intValue == 10)
            #expect(progress.json["residents"]?.intValue == 11)
            #expect(progress.json["checkedIn"]?.intValue == 11)
            #expect(progress.json["tubes"]?.intValue == 2)
            #expect(progress.json["sites"].arrayValue.first?["tubes"]?.intValue == 2)
            #expect(progress.json["streets"].arrayValue.first?["residents"]?.intValue == 11)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM checkins") == 11)
        let events = try await harness.events("intake.checkins.recorded")
        #expect(events.first?["count"]?.intValue == 10)
        #expect(events.first?["tubeBarcodes"] == .array([.string("TUBE-P0001")]))
        #expect(!"\(events)".contains("R-0011"))
    }

    @Test func concurrentSinglePostsNeverOverfillATwentyInOneTube() async throws {
        let harness = try await IntakeHarness.create()
        let statuses = Recorder<Int>()
        try await harness.run { client in
            let (round, site) = try await Self.round(client, poolSize: 20)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<30 {
                    group.addTask {
                        let body = Body(Self.item(round, site, resident: "R-\(2000 + n)", tube: "TUBE-P0020").objectValue)
                        let status = try await client.send(.post, "/v1/checkins", token: Self.device, json: body).status.code
                        statuses.append(contentsOf: [Int(status)])
                    }
                }
                try await group.waitForAll()
            }
        }
        #expect(statuses.all.filter { $0 == 201 }.count == 20)
        #expect(statuses.all.filter { $0 == 409 }.count == 10)
        #expect(try await harness.count("SELECT count(*)::int FROM checkins WHERE tube_barcode = 'TUBE-P0020'") == 20)
    }

    @Test func aTubeBelongsToOneSampleGroupAndOneRound() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let (round, site) = try await Self.round(client, poolSize: 10)
            let (otherRound, otherSite) = try await Self.round(client, poolSize: 10)
            let items: [JSONValue] = [
                Self.item(round, site, resident: "R-3001", tube: "TUBE-P0030", group: "G-1"),
                Self.item(round, site, resident: "R-3002", tube: "TUBE-P0030", group: "G-2"),
                Self.item(otherRound, otherSite, resident: "R-3003", tube: "TUBE-P0030", group: "G-1"),
                // Already sampled this round, without retest: a duplicate that takes no place.
                Self.item(round, site, resident: "R-3001", tube: "TUBE-P0031", group: "G-1"),
            ]
            let answer = try await client.send(.post, "/v1/checkins", token: Self.device, json: Body(["items": .array(items)]))
            let results = answer.json["results"].arrayValue
            #expect(results.map { $0["status"]?.stringValue ?? "" } == ["accepted", "refused", "refused", "duplicate"])
            #expect(results[1]["reason"]?.stringValue?.contains("sample group G-1") == true)
            #expect(results[2]["reason"]?.stringValue?.contains("another round") == true)
            #expect(results[3]["reason"]?.stringValue?.contains("retest") == true)
            let single = try await client.send(
                .post, "/v1/checkins", token: Self.device,
                json: Body(Self.item(round, site, resident: "R-3004", tube: "TUBE-P0030", group: "G-2").objectValue))
            #expect(single.status == .conflict)
            #expect(single.json["detail"]?.stringValue?.contains("sample group") == true)
        }
    }

    @Test func aBatchMixingNewTubesAndTubesSeenBeforeAnswersEachItem() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let (round, site) = try await Self.round(client, poolSize: 10)
            let first = try await client.send(
                .post, "/v1/checkins", token: Self.device,
                json: Body(["items": .array([Self.item(round, site, resident: "R-5001", tube: "TUBE-P0050")])]))
            #expect(first.json["accepted"]?.intValue == 1)
            let items: [JSONValue] = [
                Self.item(round, site, resident: "R-5002", tube: "TUBE-P0050"),  // a tube seen before, with room
                Self.item(round, site, resident: "R-5003", tube: "TUBE-P0051"),  // a new tube
                Self.item(round, site, resident: "R-5001", tube: "TUBE-P0052"),  // a new tube, resident sampled already
            ]
            let answer = try await client.send(.post, "/v1/checkins", token: Self.device, json: Body(["items": .array(items)]))
            let results = answer.json["results"].arrayValue
            #expect(results.map { $0["status"]?.stringValue ?? "" } == ["accepted", "accepted", "duplicate"])
            #expect(results[2]["reason"]?.stringValue?.contains("retest") == true)
            let progress = try await client.send(.get, "/v1/testing-rounds/\(round)/progress", token: Self.staff)
            #expect(progress.json["residents"]?.intValue == 3)
            #expect(progress.json["tubes"]?.intValue == 2)
        }
        let events = try await harness.events("intake.checkins.recorded")
        #expect(events.reduce(0) { $0 + ($1["count"]?.intValue ?? 0) } == 3)
    }

    @Test func aRoundsPoolSizeIsOneTenOrTwenty() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let round = try await client.send(
                .post, "/v1/testing-rounds", token: Self.staff,
                json: Body([
                    "name": .string("七混一"), "area": .string("320505-001"), "startsAt": .string("2026-11-25T00:00:00Z"),
                    "endsAt": .string("2026-11-26T00:00:00Z"), "poolSize": .number(7),
                ]))
            #expect(round.status == .unprocessableContent)
            #expect(round.json["errors"].arrayValue.compactMap { $0["field"]?.stringValue } == ["poolSize"])
        }
    }
}
