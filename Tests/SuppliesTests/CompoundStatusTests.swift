import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Supplies

/// Street staff report each compound's control status and households; a change of status is
/// announced once, with codes and counts only, and every report is kept with who made it.
@Suite struct CompoundStatusTests {
    static func report(_ status: String, households: Int, population: Int? = nil) -> Body {
        var body: [String: JSONValue] = ["status": .string(status), "households": .number(Double(households))]
        if let population { body["population"] = .number(Double(population)) }
        return Body(body)
    }

    @Test func streetStaffSealACompoundAndTheChangeIsAnnouncedOnce() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let staff = SuppliesHarness.staff
            let sealed = try await client.send(
                .put, "/v1/compounds/320505-001-001-01", token: staff, json: Self.report("sealed", households: 320))
            #expect(sealed.status == .ok)
            #expect(sealed.json["status"] == .string("sealed") && sealed.json["households"]?.intValue == 320)
            #expect(sealed.json["setBy"] == .string("station-staff"))
            let recount = try await client.send(
                .put, "/v1/compounds/320505-001-001-01", token: staff, json: Self.report("sealed", households: 330, population: 900))
            #expect(recount.status == .ok)
            let eased = try await client.send(
                .put, "/v1/compounds/320505-001-001-01", token: staff, json: Self.report("controlled", households: 330, population: 900))
            #expect(eased.json["status"] == .string("controlled"))

            let detail = try await client.send(.get, "/v1/compounds/320505-001-001-01", token: staff)
            #expect(detail.status == .ok)
            #expect(detail.json["history"].arrayValue.compactMap { $0["status"]?.stringValue } == ["controlled", "sealed", "sealed"])
            #expect(
                detail.json["history"].arrayValue.allSatisfy { $0["setBy"] == .string("station-staff") && $0["role"] == .string("staff") })

            let listed = try await client.send(.get, "/v1/compounds?area=320505-001&status=controlled", token: staff)
            #expect(listed.json["items"].arrayValue.compactMap { $0["code"]?.stringValue } == ["320505-001-001-01"])
            let all = try await client.send(.get, "/v1/compounds?area=320505-001", token: staff)
            #expect(all.json["items"].arrayValue.compactMap { $0["code"]?.stringValue } == ["320505-001-001-01", "320505-001-002-01"])
            #expect(all.json["items"].arrayValue.last?["status"] == JSONValue.null || all.json["items"].arrayValue.last?["status"] == nil)
            let next = try await client.send(.get, "/v1/compounds?area=320505-001&after=320505-001-001-01", token: staff)
            #expect(next.json["items"].arrayValue.compactMap { $0["code"]?.stringValue } == ["320505-001-002-01"])
            // The fuzzer's cursor: a NUL byte was a 500 from PostgreSQL; anything but a code is a 422.
            let forged = try await client.send(.get, "/v1/compounds?after=%C3%93%00", token: staff)
            #expect(forged.status == .unprocessableContent)
        }
        let changes = try await harness.events("supplies.compound.status-changed")
        #expect(changes.count == 2, "a recount without a change of status is not announced")
        #expect(changes.first?["status"] == .string("sealed") && changes.first?["previousStatus"] == nil)
        #expect(changes.last?["previousStatus"] == .string("sealed") && changes.last?["households"]?.intValue == 330)
        #expect(changes.last?["community"] == .string("320505-001-001"))
        #expect(changes.allSatisfy { $0["setBy"] == nil }, "no person's id travels")
    }

    @Test func onlyStaffOfTheCompoundsAreaReportItAndOnlyRealCompounds() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let otherStreet = ServiceHarness.token(.staff, "320505-002", subject: "hengtang-staff")
            let foreign = try await client.send(
                .put, "/v1/compounds/320505-001-001-01", token: otherStreet, json: Self.report("sealed", households: 10))
            #expect(foreign.status == .forbidden)
            let dispatcher = ServiceHarness.token(.dispatcher, "320505-001")
            let notTheirs = try await client.send(
                .put, "/v1/compounds/320505-001-001-01", token: dispatcher, json: Self.report("sealed", households: 10))
            #expect(notTheirs.status == .forbidden)
            let unknown = try await client.send(
                .put, "/v1/compounds/320505-001-001-09", token: SuppliesHarness.staff, json: Self.report("sealed", households: 10))
            #expect(unknown.status == .notFound)
            let community = try await client.send(
                .put, "/v1/compounds/320505-001-001", token: SuppliesHarness.staff, json: Self.report("sealed", households: 10))
            #expect(community.status == .notFound, "a community is not a compound")
            let invalid = try await client.send(
                .put, "/v1/compounds/320505-001-001-01", token: SuppliesHarness.staff, json: Self.report("locked", households: -1))
            #expect(invalid.status == .unprocessableContent)
            #expect(Set(invalid.json["errors"].arrayValue.compactMap { $0["field"]?.stringValue }) == ["status", "households"])
            let hidden = try await client.send(.get, "/v1/compounds/320505-001-001-01", token: otherStreet)
            #expect(hidden.status == .notFound)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM supplies_compounds") == 0)
    }
}
