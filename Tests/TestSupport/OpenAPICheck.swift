import Foundation
import HummingbirdTesting
import Models

/// Checks a service's served OpenAPI document against its router: every documented
/// operation must reach a handler (the router's own 404 carries no `detail`; a handler's
/// 404 says what is missing).
public enum OpenAPICheck {
    /// The document served at `/openapi.json`, and the documented operations nothing routes.
    public static func unroutedOperations(_ client: any TestClientProtocol) async throws -> (
        document: JSONValue, operations: Int, unrouted: [String]
    ) {
        let served = try await client.send(.get, "/openapi.json")
        let document = served.json
        guard case .object(let paths) = document["paths"] else { return (document, 0, ["no paths"]) }
        var unrouted: [String] = []
        var operations = 0
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
            let concrete = path.replacingOccurrences(of: #"\{[a-zA-Z]+\}"#, with: UUID().uuidString, options: .regularExpression)
            for method in item.objectValue.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                operations += 1
                let response = try await client.send(
                    .init(rawValue: method.uppercased())!, concrete, json: method == "get" ? nil : Body([:]))
                if response.status == .notFound && response.json["detail"] == nil { unrouted.append("\(method.uppercased()) \(path)") }
            }
        }
        return (document, operations, unrouted)
    }
}
