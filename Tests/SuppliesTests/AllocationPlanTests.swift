import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Supplies

/// A street splits a lot on its depot's shelf across its communities by the households the
/// street reported — even with no need recorded — keeps the plan, approves it, and carries it
/// out as transfers in one action, whole or not at all.
@Suite struct AllocationPlanTests {
    let staff = SuppliesHarness.staff

    /// A street depot holding `quantity` parcels and a depot in each of the street's two
    /// communities; returns (item, street depot, 和平社区's depot, 幸福社区's depot).
    static func streetWithDepots(_ client: any TestClientProtocol, quantity: Int) async throws -> (String, String, String, String) {
        let (item, peace) = try await SuppliesHarness.itemAndDepot(client, item: "蔬菜包", category: "food")
        var ids: [String] = []
        for (name, area) in [("狮山街道仓库", "320505-001"), ("幸福社区服务站", "320505-001-002")] {
            let depot = try await client.send(
                .post, "/v1/depots", token: SuppliesHarness.staff,
                json: Body(["name": .string(name), "kind": .string("social-work-station"), "area": .string(area)]))
            ids.append(try #require(depot.json["id"]?.stringValue))
        }
        _ = try await SuppliesHarness.receive(client, depot: ids[0], item: item, [(quantity, 5)])
        return (item, ids[0], peace, ids[1])
    }

    static func onHand(_ client: any TestClientProtocol, depot: String) async throws -> Int {
        let stock = try await client.send(.get, "/v1/stock?depotId=\(depot)", token: SuppliesHarness.staff)
        return stock.json.arrayValue.compactMap { $0["onHand"]?.intValue }.reduce(0, +)
    }

    @Test func sealedHouseholdsReportedByTheStreetWeighTheSplit() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            for (compound, status, households) in [("320505-001-001-01", "sealed", 300), ("320505-001-002-01", "controlled", 600)] {
                let reported = try await client.send(
                    .put, "/v1/compounds/\(compound)", token: staff,
                    json: Body(["status": .string(status), "households": .number(Double(households))]))
                #expect(reported.status == .ok)
            }
            let plan = try await client.send(
                .post, "/v1/allocation-plans", token: staff, json: Body(["area": .string("320505-001"), "quantity": .number(1_000)]))
            #expect(plan.status == .ok)
            #expect(plan.json["basis"] == .string("need"))
            #expect(plan.json["shares"].arrayValue.compactMap { $0["quantity"]?.intValue } == [500, 500])
            #expect(plan.json["shares"].arrayValue.first?["reasoning"]?.stringValue?.hasPrefix("300 sealed households × 2") == true)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM allocation_plans") == 0, "a preview keeps nothing")
    }

    @Test func parcelsOnTheShelfWithNoRecordedNeedGoByHouseholdsAndTheApprovedPlanBecomesItsTransfers() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (item, street, peace, happiness) = try await Self.streetWithDepots(client, quantity: 2_000)
            for (compound, households) in [("320505-001-001-01", 100), ("320505-001-002-01", 300)] {
                _ = try await client.send(
                    .put, "/v1/compounds/\(compound)", token: staff,
                    json: Body(["status": .string("precaution"), "households": .number(Double(households))]))
            }
            let proposed = try await client.send(
                .post, "/v1/allocation-plans", token: staff,
                json: Body(["area": .string("320505-001"), "depotId": .string(street), "itemId": .string(item)]))
            #expect(proposed.status == .created, "\(proposed.json)")
            #expect(proposed.json["basis"] == .string("households"))
            #expect(proposed.json["quantity"]?.intValue == 2_000, "the whole shelf when no quantity is named")
            #expect(proposed.json["status"] == .string("proposed") && proposed.json["proposedBy"] == .string("station-staff"))
            #expect(proposed.json["shares"].arrayValue.compactMap { $0["quantity"]?.intValue } == [500, 1_500])
            #expect(proposed.json["shares"].arrayValue.compactMap { $0["depotId"]?.stringValue } == [peace, happiness])
            let id = try #require(proposed.json["id"]?.stringValue)

            let early = try await client.send(.post, "/v1/allocation-plans/\(id)/transfers", token: staff)
            #expect(early.status == .conflict, "not approved yet")
            let district = ServiceHarness.token(.operator, "320505", subject: "district-ops")
            let approved = try await client.send(.post, "/v1/allocation-plans/\(id)/approve", token: district)
            #expect(approved.status == .ok)
            #expect(approved.json["approvedBy"] == .string("district-ops"))
            let carried = try await client.send(.post, "/v1/allocation-plans/\(id)/transfers", token: staff)
            #expect(carried.status == .created, "\(carried.json)")
            #expect(carried.json["plan"]?["status"] == .string("transferred"))
            #expect(carried.json["transfers"].arrayValue.compactMap { $0["quantity"]?.intValue } == [500, 1_500])
            let again = try await client.send(.post, "/v1/allocation-plans/\(id)/transfers", token: staff)
            #expect(again.status == .conflict, "carried out once")
            #expect(try await Self.onHand(client, depot: street) == 0)
            #expect(try await Self.onHand(client, depot: peace) == 500)
            #expect(try await Self.onHand(client, depot: happiness) == 1_500)
            let otherStreet = ServiceHarness.token(.staff, "320505-002", subject: "hengtang-staff")
            #expect(try await client.send(.get, "/v1/allocation-plans/\(id)", token: otherStreet).status == .notFound)
        }
        #expect(try await harness.events("supplies.stock.transferred-in").count == 2)
        try await StockTests.expectLedgerMatchesBalances(harness)
    }

    @Test func aPlanTheShelfNoLongerCoversMovesNothing() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (item, street, _, _) = try await Self.streetWithDepots(client, quantity: 100)
            _ = try await client.send(
                .put, "/v1/compounds/320505-001-002-01", token: staff, json: Body(["status": .string("sealed"), "households": .number(50)]))
            _ = try await client.send(
                .put, "/v1/compounds/320505-001-001-01", token: staff, json: Body(["status": .string("sealed"), "households": .number(50)]))
            let tooMuch = try await client.send(
                .post, "/v1/allocation-plans", token: staff,
                json: Body(["area": .string("320505-001"), "depotId": .string(street), "itemId": .string(item), "quantity": .number(101)]))
            #expect(tooMuch.status == .conflict)
            let proposed = try await client.send(
                .post, "/v1/allocation-plans", token: staff,
                json: Body(["area": .string("320505-001"), "depotId": .string(street), "itemId": .string(item), "quantity": .number(100)]))
            let id = try #require(proposed.json["id"]?.stringValue)
            _ = try await client.send(.post, "/v1/allocation-plans/\(id)/approve", token: staff)
            let lot = try #require(try await client.send(.get, "/v1/stock?depotId=\(street)", token: staff).json.arrayValue.first?["lotId"])
            let damaged = try await client.send(
                .post, "/v1/adjustments", token: staff, json: Body(["lotId": lot, "quantity": .number(10), "reason": .string("受潮")]))
            #expect(damaged.status == .created)
            let carried = try await client.send(.post, "/v1/allocation-plans/\(id)/transfers", token: staff)
            #expect(carried.status == .conflict)
            #expect(try await Self.onHand(client, depot: street) == 90, "the first share's transfer was rolled back with the second")
            #expect(try await client.send(.get, "/v1/allocation-plans/\(id)", token: staff).json["status"] == .string("approved"))
        }
        #expect(try await harness.events("supplies.stock.transferred-out").isEmpty)
    }

    @Test func aCommunityWithoutAnyDepotMustBeGivenOne() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (item, peace) = try await SuppliesHarness.itemAndDepot(client, item: "蔬菜包", category: "food")
            _ = try await SuppliesHarness.receive(client, depot: peace, item: item, [(60, nil)])
            for compound in ["320505-001-001-01", "320505-001-002-01"] {
                _ = try await client.send(
                    .put, "/v1/compounds/\(compound)", token: staff, json: Body(["status": .string("sealed"), "households": .number(30)]))
            }
            let refused = try await client.send(
                .post, "/v1/allocation-plans", token: staff,
                json: Body(["area": .string("320505-001"), "depotId": .string(peace), "itemId": .string(item)]))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.json["errors"].arrayValue.first?["message"]?.stringValue?.hasPrefix("320505-001-002") == true)
            let district = ServiceHarness.token(.operator, "320505")
            let nothing = try await client.send(
                .post, "/v1/allocation-plans", token: district, json: Body(["area": .string("320505-002"), "quantity": .number(5)]))
            #expect(nothing.status == .unprocessableContent, "nothing recorded under the street: nothing to split by")
        }
    }
}
