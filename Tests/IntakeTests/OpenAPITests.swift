import Foundation
import HummingbirdTesting
import Models
import TestSupport
import Testing

@testable import Intake

/// The OpenAPI document in the repository is served, and every path it documents exists.
@Suite struct OpenAPITests {
    @Test func theDocumentIsServedAndEveryDocumentedRouteExists() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let served = try await client.send(.get, "/openapi.json")
            #expect(served.status == .ok)
            let document = served.json
            #expect(document["openapi"] == .string("3.1.0"))
            guard case .object(let paths) = document["paths"] else {
                Issue.record("no paths")
                return
            }
            #expect(paths.count >= 18)
            for (path, item) in paths {
                let concrete = path.replacingOccurrences(of: #"\{[a-zA-Z]+\}"#, with: UUID().uuidString, options: .regularExpression)
                for method in item.objectValue.keys {
                    let response = try await client.send(
                        .init(rawValue: method.uppercased())!, concrete, json: method == "get" ? nil : Body([:]))
                    // The router's own 404 carries no detail; a handler's 404 says what is missing.
                    let unrouted = response.status == .notFound && response.json["detail"] == nil
                    #expect(!unrouted, "\(method.uppercased()) \(path) is documented but not routed")
                }
            }
        }
    }
}
