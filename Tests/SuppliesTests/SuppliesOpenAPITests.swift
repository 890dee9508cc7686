import TestSupport
import Testing

/// Supplies' OpenAPI document is served, and every operation in it is routed.
@Suite struct SuppliesOpenAPITests {
    @Test func theDocumentIsServedAndEveryDocumentedRouteExists() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (document, operations, unrouted) = try await OpenAPICheck.unroutedOperations(client)
            #expect(document["openapi"] == .string("3.1.0"))
            #expect(operations >= 29)
            #expect(unrouted.isEmpty, "documented but not routed: \(unrouted)")
        }
    }
}
