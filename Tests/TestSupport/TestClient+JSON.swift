import Foundation
import HTTPTypes
import HummingbirdTesting
import Models
import NIOCore

extension TestClientProtocol {
    /// Sends JSON with an optional bearer token and idempotency key.
    @discardableResult
    public func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, idempotencyKey: String? = nil,
        json: (any Encodable)? = nil, headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let idempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONEncoder().encode(json))
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body)
    }
}

extension TestResponse {
    /// The body as JSON.
    public var json: JSONValue { (try? JSONParser.parse(Array(buffer: body))) ?? .null }
}

/// A JSON object literal for request bodies.
public struct Body: Encodable, Sendable {
    public let value: JSONValue
    public init(_ members: [String: JSONValue]) { value = .object(members) }
    public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

extension Optional where Wrapped == JSONValue {
    /// The elements when this is an array, else none.
    public var arrayValue: [JSONValue] {
        if case .array(let elements) = self { return elements }
        return []
    }
}

extension JSONValue {
    /// The elements when this is an array, else none.
    public var arrayValue: [JSONValue] {
        if case .array(let elements) = self { return elements }
        return []
    }

    /// The members when this is an object, else none.
    public var objectValue: [String: JSONValue] {
        if case .object(let members) = self { return members }
        return [:]
    }
}
