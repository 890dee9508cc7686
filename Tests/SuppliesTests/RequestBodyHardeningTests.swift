import Foundation
import HTTPTypes
import HummingbirdTesting
import Models
import NIOCore
import ServiceKit
import TestSupport
import Testing

@testable import Supplies

/// Issue 14, through supplies' HTTP API: a repeated key was fingerprinted with one value and
/// executed with another, so a reservation of 3 was answered with a stored reservation of 1.
@Suite struct RequestBodyHardeningTests {
    @Test func aReservationWithARepeatedQuantityIsRefused() async throws {
        let harness = try await SuppliesHarness.create()
        let request = try await SuppliesHarness.workOrder(harness)
        try await harness.run { client in
            let (item, depot) = try await SuppliesHarness.itemAndDepot(client)
            _ = try await SuppliesHarness.receive(client, depot: depot, item: item, [(10, 30)])
            let text = #"{"requestId":"\#(request)","depotId":"\#(depot)","itemId":"\#(item)","quantity":1,"quantity":3}"#
            let refused = try await client.execute(
                uri: "/v1/reservations", method: .post,
                headers: [
                    .contentType: "application/json", .authorization: "Bearer \(SuppliesHarness.staff)", .init("Idempotency-Key")!: "r1",
                ],
                body: ByteBuffer(string: text)
            )
            #expect(refused.status == .badRequest)
            #expect(refused.json["errors"].arrayValue.first?["field"]?.stringValue == "quantity")
        }
        #expect(try await harness.count("SELECT count(*)::int FROM reservations") == 0)
        #expect(try await harness.count("SELECT count(*)::int FROM idempotency_keys") == 0)
    }
}
