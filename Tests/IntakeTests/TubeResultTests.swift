import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// A tube's lab result; a positive pooled tube lists its residents for a single-tube retest.
@Suite struct TubeResultTests {
    static let staff = CheckinTests.staff
    static let device = CheckinTests.device

    /// A ten-in-one round whose tube TUBE-P0100 holds three residents; returns the round and site.
    static func pooledTube(_ client: any TestClientProtocol) async throws -> (round: String, site: String) {
        let (round, site) = try await PooledSamplingTests.round(client, poolSize: 10)
        let items =
            ["R-4001", "R-4002", "R-4003"].map { PooledSamplingTests.item(round, site, resident: $0, tube: "TUBE-P0100") }
            + [PooledSamplingTests.item(round, site, resident: "R-4004", tube: "TUBE-P0101")]
        let answer = try await client.send(.post, "/v1/checkins", token: device, json: Body(["items": .array(items)]))
        #expect(answer.json["accepted"]?.intValue == 4)
        return (round, site)
    }

    static func result(_ client: any TestClientProtocol, _ tube: String, _ result: String, token: String = staff) async throws
        -> TestResponse
    {
        try await client.send(.post, "/v1/tubes/\(tube)/result", token: token, json: Body(["result": .string(result)]))
    }

    @Test func aPositiveTubeListsItsResidentsForRetestAndIsAnnouncedWithoutThem() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let (round, site) = try await Self.pooledTube(client)
            let positive = try await Self.result(client, "TUBE-P0100", "positive")
            #expect(positive.status == .ok)
            #expect(positive.json["result"] == .string("positive"))
            #expect(positive.json["residents"]?.intValue == 3)
            #expect(positive.json["retest"].arrayValue.compactMap { $0["residentCode"]?.stringValue } == ["R-4001", "R-4002", "R-4003"])
            #expect(positive.json["retest"].arrayValue.allSatisfy { $0["retested"] == .bool(false) })
            // One of them is re-tested in a tube of their own.
            var retest = PooledSamplingTests.item(round, site, resident: "R-4002", tube: "TUBE-S4002").objectValue
            retest["retest"] = .bool(true)
            #expect(try await client.send(.post, "/v1/checkins", token: Self.device, json: Body(retest)).status == .created)
            let tube = try await client.send(.get, "/v1/tubes/TUBE-P0100", token: Self.staff)
            #expect(tube.json["retest"].arrayValue.map { $0["retested"] } == [.bool(false), .bool(true), .bool(false)])
            // The same result again changes nothing; another one is refused: a result is final.
            #expect(try await Self.result(client, "TUBE-P0100", "positive").status == .ok)
            #expect(try await Self.result(client, "TUBE-P0100", "negative").status == .conflict)
            // A tested tube with room left takes nobody new: they were never part of its result.
            let late = PooledSamplingTests.item(round, site, resident: "R-4009", tube: "TUBE-P0100").objectValue
            #expect(try await client.send(.post, "/v1/checkins", token: Self.device, json: Body(late)).status == .conflict)
            let after = try await client.send(.get, "/v1/tubes/TUBE-P0100", token: Self.staff)
            #expect(after.json["retest"].arrayValue.count == 3)
            // A negative tube names nobody.
            let negative = try await Self.result(client, "TUBE-P0101", "negative")
            #expect(negative.json["result"] == .string("negative"))
            #expect(negative.json["retest"] == .array([]))
        }
        let events = try await harness.events("intake.tube.positive")
        #expect(events.count == 1)
        #expect(events.first?["tubeBarcode"] == .string("TUBE-P0100"))
        #expect(events.first?["residents"]?.intValue == 3)
        #expect(events.first?["siteId"]?.stringValue != nil)
        #expect(!"\(events)".contains("R-400"))
    }

    @Test func aTubeIsReadAndResultedOnlyWithinTheCallersArea() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            _ = try await Self.pooledTube(client)
            let elsewhere = IntakeHarness.token(.staff, "320505-002")
            #expect(try await Self.result(client, "TUBE-P0100", "positive", token: elsewhere).status == .notFound)
            #expect(try await client.send(.get, "/v1/tubes/TUBE-P0100", token: elsewhere).status == .notFound)
            #expect(try await Self.result(client, "TUBE-NONE01", "positive").status == .notFound)
            #expect(try await Self.result(client, "TUBE-P0100", "inconclusive").status == .unprocessableContent)
            #expect(try await Self.result(client, "TUBE-P0100", "positive", token: Self.device).status == .forbidden)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM testing_tubes WHERE result IS NOT NULL") == 0)
    }
}
