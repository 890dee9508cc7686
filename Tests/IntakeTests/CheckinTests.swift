import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// Testing rounds, sites and check-ins from sampling-point devices.
@Suite struct CheckinTests {
    static let staff = IntakeHarness.token(.staff, "320505-001")
    static let device = IntakeHarness.token(.device, "320505-001-001")

    static func roundAndSite(_ client: any TestClientProtocol) async throws -> (round: String, site: String) {
        let round = try await client.send(
            .post, "/v1/testing-rounds", token: staff,
            json: Body([
                "name": .string("第三轮全员核酸"), "area": .string("320505-001"),
                "startsAt": .string("2026-11-25T00:00:00Z"), "endsAt": .string("2026-11-26T00:00:00Z"),
            ])
        ).json["id"]!.stringValue!
        let site = try await client.send(
            .post, "/v1/testing-rounds/\(round)/sites", token: staff,
            json: Body([
                "area": .string("320505-001-001"), "name": .string("和平社区广场"), "opensAt": .string("07:00"), "closesAt": .string("19:00"),
                "expectedPopulation": .number(3000),
            ])
        ).json["id"]!.stringValue!
        return (round, site)
    }

    static func item(_ round: String, _ site: String, resident: String, tube: String, retest: Bool = false) -> JSONValue {
        .object([
            "roundId": .string(round), "siteId": .string(site), "residentCode": .string(resident), "tubeBarcode": .string(tube),
            "sampleGroup": .string("G-0001"), "scannedAt": .string(Timestamp.format(Date().addingTimeInterval(-60))),
            "operator": .string("op-7"), "retest": .bool(retest),
        ])
    }

    @Test func aMixedBatchAnswersEveryItemAndAResendIsAllDuplicates() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let (round, site) = try await Self.roundAndSite(client)
            var future = Self.item(round, site, resident: "R-0004", tube: "TUBE0004").objectValue
            future["scannedAt"] = .string(Timestamp.format(Date().addingTimeInterval(3600)))
            let items: [JSONValue] = [
                Self.item(round, site, resident: "R-0001", tube: "TUBE0001"),
                Self.item(round, site, resident: "R-0002", tube: "TUBE0002"),
                Self.item(round, site, resident: "R-0003", tube: "TUBE0001"),  // tube reused in a round of one resident a tube
                .object(future),
                Self.item(round, site, resident: "R-0001", tube: "TUBE0005"),  // second sample, not a retest
                Self.item(round, site, resident: "R-0001", tube: "TUBE0006", retest: true),
                Self.item(round, site, resident: "", tube: "x"),
            ]
            let answer = try await client.send(.post, "/v1/checkins", token: Self.device, json: Body(["items": .array(items)]))
            #expect(answer.status == .ok)
            let statuses = answer.json["results"].arrayValue.map { $0["status"]?.stringValue ?? "" }
            // A second resident in a one-resident tube is not recorded: refused (take a new
            // tube), not a duplicate (nothing to resend), which would lose their sample.
            #expect(statuses == ["accepted", "accepted", "refused", "invalid", "duplicate", "accepted", "invalid"])
            #expect(answer.json["accepted"]?.intValue == 3)
            #expect(answer.json["refused"]?.intValue == 1)
            let reasons = answer.json["results"].arrayValue.map { $0["reason"]?.stringValue ?? "" }
            #expect(reasons[2].contains("another resident's sample"))
            #expect(reasons[3].contains("scannedAt"))
            #expect(reasons[4].contains("retest"))
            // The device lost the answer and sends the same batch again: nothing new.
            let resend = try await client.send(.post, "/v1/checkins", token: Self.device, json: Body(["items": .array(items)]))
            #expect(resend.json["accepted"]?.intValue == 0)
            #expect(resend.json["results"].arrayValue[0]["reason"] == .string("already recorded"))
            let progress = try await client.send(.get, "/v1/testing-rounds/\(round)/progress", token: Self.staff)
            #expect(progress.json["checkedIn"]?.intValue == 3)
            #expect(progress.json["expected"]?.intValue == 3000)
            #expect(progress.json["streets"].arrayValue.first?["area"] == .string("320505-001"))
        }
        #expect(try await harness.count("SELECT count(*)::int FROM checkins") == 3)
        let events = try await harness.events("intake.checkins.recorded")
        #expect(events.count == 1)
        #expect(events.first?["count"]?.intValue == 3)
        #expect(events.first?["tubeBarcodes"] == .array([.string("TUBE0001"), .string("TUBE0002"), .string("TUBE0006")]))
        #expect(!"\(events)".contains("R-0001"))
    }

    @Test func aSingleCheckInIsValidatedFieldByFieldAndBatchesAreBounded() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let (round, site) = try await Self.roundAndSite(client)
            let ok = try await client.send(
                .post, "/v1/checkins", token: Self.device,
                json: Body(Self.item(round, site, resident: "R-0009", tube: "TUBE0009").objectValue))
            #expect(ok.status == .created)
            let bad = try await client.send(
                .post, "/v1/checkins", token: Self.device, json: Body(Self.item(round, site, resident: "R", tube: "T").objectValue))
            #expect(bad.status == .unprocessableContent)
            #expect(Set(bad.json["errors"].arrayValue.compactMap { $0["field"]?.stringValue }) == ["residentCode", "tubeBarcode"])
            let tooMany = (0...TestingRoutes.maximumBatch).map { Self.item(round, site, resident: "R-\($0)", tube: "TUBE-\($0)") }
            #expect(
                try await client.send(.post, "/v1/checkins", token: Self.device, json: Body(["items": .array(tooMany)])).status
                    == .unprocessableContent)
            // A device of another community cannot post for this site.
            let elsewhere = IntakeHarness.token(.device, "320505-001-002")
            let refused = try await client.send(
                .post, "/v1/checkins", token: elsewhere,
                json: Body(["items": .array([Self.item(round, site, resident: "R-10", tube: "TUBE0010")])]))
            #expect(refused.json["results"].arrayValue.first?["status"] == .string("invalid"))
        }
        #expect(try await harness.count("SELECT count(*)::int FROM checkins") == 1)
    }

    @Test func concurrentSinglePostsShareTransactionsAndEachGetsItsOwnAnswer() async throws {
        let harness = try await IntakeHarness.create()
        let statuses = Recorder<Int>()
        try await harness.run { client in
            let (round, site) = try await Self.roundAndSite(client)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<200 {
                    group.addTask {
                        // Every tenth post repeats the one before it, as a device resending would.
                        let code = n % 10 == 9 ? n - 1 : n
                        let body = Body(Self.item(round, site, resident: "R-\(1000 + code)", tube: "TUBE\(1000 + code)").objectValue)
                        statuses.append(contentsOf: [
                            Int(try await client.send(.post, "/v1/checkins", token: Self.device, json: body).status.code)
                        ])
                    }
                }
                try await group.waitForAll()
            }
        }
        #expect(statuses.all.filter { $0 == 201 }.count == 180)
        #expect(statuses.all.filter { $0 == 200 }.count == 20)
        #expect(try await harness.count("SELECT count(*)::int FROM checkins") == 180)
        let events = try await harness.events("intake.checkins.recorded")
        #expect(events.reduce(0) { $0 + ($1["count"]?.intValue ?? 0) } == 180)
        #expect(events.count <= 180)
    }
}
