import Foundation
import HummingbirdTesting
import Models
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Supplies

/// A station finds a work order's errand purchase without the bus, and every purchase keeps
/// who paid and who was paid back — by kind and id, never by name.
@Suite struct PurchaseLookupTests {
    let staff = SuppliesHarness.staff

    static func step(_ action: String, _ extra: [String: JSONValue] = [:]) -> Body {
        Body(extra.merging(["action": .string(action)]) { $1 })
    }

    @Test func aWorkOrdersPurchaseIsFoundByRequestAndKeepsWhoPaidAndWhoWasPaidBack() async throws {
        let harness = try await SuppliesHarness.create()
        let request = try await SuppliesHarness.workOrder(harness, category: "medicine")
        let volunteer = try await SuppliesHarness.volunteer(harness)
        try await harness.run { client in
            let opened = try await client.send(
                .post, "/v1/purchases", token: staff,
                json: Body(["requestId": .string(request), "area": .string("320505-001-001"), "description": .string("硝苯地平 30mg")]))
            _ = try await client.send(
                .post, "/v1/purchases", token: staff, json: Body(["area": .string("320505-001-001"), "description": .string("消毒液")]))
            let id = try #require(opened.json["id"]?.stringValue)

            let found = try await client.send(.get, "/v1/purchases?requestId=\(request)", token: staff)
            #expect(found.status == .ok)
            #expect(found.json["items"].arrayValue.compactMap { $0["id"]?.stringValue } == [id])
            #expect(found.json["items"].arrayValue.first?["description"] == nil, "a list shows no description")
            let all = try await client.send(.get, "/v1/purchases?status=open", token: staff)
            #expect(all.json["items"].arrayValue.count == 2)
            let otherStreet = ServiceHarness.token(.staff, "320505-002", subject: "hengtang-staff")
            #expect(try await client.send(.get, "/v1/purchases?requestId=\(request)", token: otherStreet).json["items"].arrayValue.isEmpty)

            for step in [Self.step("quote", ["amountFen": .number(2_850)]), Self.step("confirm")] {
                #expect(try await client.send(.post, "/v1/purchases/\(id)/actions", token: staff, json: step).status == .ok)
            }
            let unnamed = try await client.send(
                .post, "/v1/purchases/\(id)/actions", token: staff, json: Self.step("purchase", ["amountFen": .number(2_990)]))
            #expect(unnamed.status == .unprocessableContent)
            #expect(unnamed.json["errors"].arrayValue.first?["field"] == .string("paidBy"))
            let stranger = try await client.send(
                .post, "/v1/purchases/\(id)/actions", token: staff,
                json: Self.step(
                    "purchase",
                    ["amountFen": .number(2_990), "paidBy": .object(["kind": .string("volunteer"), "id": .string(UUID().uuidString)])]))
            #expect(stranger.status == .unprocessableContent)
            #expect(stranger.json["errors"].arrayValue.first?["field"] == .string("paidBy.id"))
            let bought = try await client.send(
                .post, "/v1/purchases/\(id)/actions", token: staff,
                json: Self.step(
                    "purchase", ["amountFen": .number(2_990), "paidBy": .object(["kind": .string("volunteer"), "id": .string(volunteer)])]))
            #expect(bought.status == .ok)
            #expect(bought.json["paidBy"] == .object(["kind": .string("volunteer"), "id": .string(volunteer)]))
            _ = try await client.send(.post, "/v1/purchases/\(id)/actions", token: staff, json: Self.step("deliver"))
            let repaid = try await client.send(.post, "/v1/purchases/\(id)/actions", token: staff, json: Self.step("reimburse"))
            #expect(repaid.status == .ok)
            #expect(repaid.json["reimbursedTo"] == .object(["kind": .string("volunteer"), "id": .string(volunteer)]))
            let listed = try await client.send(.get, "/v1/purchases?requestId=\(request)", token: staff)
            #expect(listed.json["items"].arrayValue.first?["status"] == .string("reimbursed"))
            #expect(listed.json["items"].arrayValue.first?["paidBy"]?["kind"] == .string("volunteer"))
        }
        let purchased = try await harness.events("supplies.purchase.purchased")
        #expect(purchased.first?["paidByKind"] == .string("volunteer") && purchased.first?["paidById"] == .string(volunteer))
        let reimbursed = try await harness.events("supplies.purchase.reimbursed")
        #expect(reimbursed.first?["reimbursedToKind"] == .string("volunteer"))
    }

    @Test func theResidentWhoPaidIsNamedByTheWorkOrderNotByAnId() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let opened = try await client.send(
                .post, "/v1/purchases", token: staff, json: Body(["area": .string("320505-001-001"), "description": .string("胰岛素")]))
            let id = try #require(opened.json["id"]?.stringValue)
            for step in [Self.step("quote", ["amountFen": .number(8_000)]), Self.step("confirm")] {
                _ = try await client.send(.post, "/v1/purchases/\(id)/actions", token: staff, json: step)
            }
            let withID = try await client.send(
                .post, "/v1/purchases/\(id)/actions", token: staff,
                json: Self.step(
                    "purchase",
                    ["amountFen": .number(8_000), "paidBy": .object(["kind": .string("resident"), "id": .string(UUID().uuidString)])]))
            #expect(withID.status == .unprocessableContent)
            let own = try await client.send(
                .post, "/v1/purchases/\(id)/actions", token: staff,
                json: Self.step("purchase", ["amountFen": .number(8_000), "paidBy": .object(["kind": .string("resident")])]))
            #expect(own.status == .ok)
            #expect(own.json["paidBy"] == .object(["kind": .string("resident")]))
            let misplaced = try await client.send(
                .post, "/v1/purchases/\(id)/actions", token: staff,
                json: Self.step("deliver", ["reimbursedTo": .object(["kind": .string("resident")])]))
            #expect(misplaced.status == .unprocessableContent, "who is paid back is recorded with the reimbursement")
        }
        #expect(try await harness.events("supplies.purchase.purchased").first?["paidById"] == nil)
    }
}
