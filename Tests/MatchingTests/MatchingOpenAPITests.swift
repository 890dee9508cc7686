import TestSupport
import Testing

/// Matching's OpenAPI document is served, and every operation in it is routed.
@Suite struct MatchingOpenAPITests {
    @Test func theDocumentIsServedAndEveryDocumentedRouteExists() async throws {
        let harness = try await RosterPlanningTests.create()
        try await harness.run { client in
            let (document, operations, unrouted) = try await OpenAPICheck.unroutedOperations(client)
            #expect(document["openapi"] == .string("3.1.0"))
            #expect(operations >= 18)
            #expect(unrouted.isEmpty, "documented but not routed: \(unrouted)")
        }
    }
}
