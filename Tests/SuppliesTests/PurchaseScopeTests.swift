import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Supplies

/// Issue 14: an errand purchase names a work order only within the caller's area, and only
/// under an area that holds the work order's compound.
@Suite struct PurchaseScopeTests {
    static func purchase(request: String, area: String) -> Body {
        Body(["requestId": .string(request), "area": .string(area), "description": .string("降压药 代购")])
    }

    @Test func aPurchaseCannotPointAtAnotherStreetsWorkOrder() async throws {
        let harness = try await SuppliesHarness.create()
        // Filed in 和平苑, street 320505-001.
        let request = try await SuppliesHarness.workOrder(harness, category: "medicine")
        try await harness.run { client in
            let otherStreet = ServiceHarness.token(.staff, "320505-002", subject: "hengtang-staff")
            let cross = try await client.send(
                .post, "/v1/purchases", token: otherStreet, json: Self.purchase(request: request, area: "320505-002-001"))
            let unknown = try await client.send(
                .post, "/v1/purchases", token: otherStreet, json: Self.purchase(request: UUID().uuidString, area: "320505-002-001"))
            #expect(cross.status == .unprocessableContent)
            #expect(cross.json["errors"].arrayValue.first?["field"] == .string("requestId"))
            #expect(cross.json["errors"] == unknown.json["errors"], "another street's work order reads as an unknown one")

            // A district operator sees both streets, but a purchase filed under street 002 for a
            // work order of street 001 would be hidden from the station that serves it.
            let district = ServiceHarness.token(.operator, "320505")
            let misfiled = try await client.send(
                .post, "/v1/purchases", token: district, json: Self.purchase(request: request, area: "320505-002"))
            #expect(misfiled.status == .unprocessableContent)
            #expect(misfiled.json["errors"].arrayValue.first?["field"] == .string("area"))

            let own = try await client.send(
                .post, "/v1/purchases", token: SuppliesHarness.staff, json: Self.purchase(request: request, area: "320505-001-001"))
            #expect(own.status == .created)
            #expect(own.json["requestId"]?.stringValue == request)
            let districtWide = try await client.send(
                .post, "/v1/purchases", token: district, json: Self.purchase(request: request, area: "320505"))
            #expect(districtWide.status == .created)
            let unlinked = try await client.send(
                .post, "/v1/purchases", token: otherStreet,
                json: Body([
                    "area": .string("320505-002-001"), "description": .string("消毒液 代购"),
                ]))
            #expect(unlinked.status == .created, "a purchase for no work order stays possible")
        }
        #expect(try await harness.count("SELECT count(*)::int FROM purchase_tasks WHERE request_id IS NOT NULL") == 2)
        #expect(try await harness.count("SELECT count(*)::int FROM purchase_tasks WHERE area LIKE '320505-002%'") == 1)
    }
}
