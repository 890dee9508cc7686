import Foundation
import Logging
import Models
import ServiceKit

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Calls the services' HTTP APIs on behalf of one viewer, with a bearer token of exactly the
/// viewer's role and area: a staff member's minted per call (five minutes), a volunteer's
/// their own. So every page is limited by the services' own scope rules, and the console
/// holds no power of its own beyond minting tokens for the accounts it signed in.
struct BackendCalls: Sendable {
    let urls: [Backend: String]
    /// `nil` for a public call (``anonymous(urls:visitor:logger:)``).
    let bearer: String?
    let logger: Logger
    /// The visitor's address on a public call, sent as `X-Forwarded-For` so the service's
    /// per-address limits apply to the visitor, not to the console (the service must trust the
    /// console as a proxy: `SHOUWANG_TRUSTED_PROXIES`).
    var forwardedFor: String? = nil

    /// Calls a public endpoint for a visitor without a token (a resident signing up): no
    /// Authorization, since a service reads any token it is sent as a claim to a role.
    static func anonymous(urls: [Backend: String], visitor: String?, logger: Logger) -> BackendCalls {
        BackendCalls(urls: urls, bearer: nil, logger: logger, forwardedFor: visitor)
    }

    /// A response body as JSON, or the refusal the service gave.
    func get(_ backend: Backend, _ path: String) async throws -> JSONValue {
        try await send(backend, "GET", path, body: nil)
    }

    func post(_ backend: Backend, _ path: String, _ body: JSONValue = .object([:])) async throws -> JSONValue {
        try await send(backend, "POST", path, body: body)
    }

    func put(_ backend: Backend, _ path: String, _ body: JSONValue) async throws -> JSONValue {
        try await send(backend, "PUT", path, body: body)
    }

    func delete(_ backend: Backend, _ path: String) async throws -> JSONValue {
        try await send(backend, "DELETE", path, body: nil)
    }

    /// The raw body of a GET (a CSV export), passed through as it came.
    func download(_ backend: Backend, _ path: String, accept: String) async throws -> (Data, String) {
        var request = try makeRequest(backend, "GET", path)
        request.setValue(accept, forHTTPHeaderField: "Accept")
        let (data, response) = try await Self.session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw Self.refusal(status: status, data: data) }
        return (data, (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") ?? accept)
    }

    private func send(_ backend: Backend, _ method: String, _ path: String, body: JSONValue?) async throws -> JSONValue {
        var request = try makeRequest(backend, method, path)
        if let body {
            request.httpBody = try JSONEncoder().encode(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            // A double click or a retried form is one write, as the services promise for a repeated key.
            request.setValue(UUID().uuidString, forHTTPHeaderField: "Idempotency-Key")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await Self.session.data(for: request)
        } catch {
            logger.warning("a service did not answer", metadata: ["service": "\(backend.rawValue)", "error": "\(error)"])
            throw BackendRefusal(status: 503, detail: "The \(backend.rawValue) service did not answer; try again in a moment.")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw Self.refusal(status: status, data: data) }
        if data.isEmpty { return .null }
        return (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null
    }

    private func makeRequest(_ backend: Backend, _ method: String, _ path: String) throws -> URLRequest {
        guard let base = urls[backend], let url = URL(string: base + path) else {
            throw BackendRefusal(
                status: 500, detail: "The console has no address for the \(backend.rawValue) service (\(backend.variable)).")
        }
        var request = URLRequest(url: url, timeoutInterval: 15)
        request.httpMethod = method
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        if let forwardedFor { request.setValue(forwardedFor, forHTTPHeaderField: "X-Forwarded-For") }
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        return request
    }

    private static func refusal(status: Int, data: Data) -> BackendRefusal {
        let problem = try? JSONDecoder().decode(JSONValue.self, from: data)
        var fields: [String: String] = [:]
        if case .array(let errors)? = problem?["errors"] {
            for error in errors {
                if let field = error["field"]?.stringValue, let message = error["message"]?.stringValue { fields[field] = message }
            }
        }
        let detail = problem?["detail"]?.stringValue ?? problem?["title"]?.stringValue ?? "The service answered \(status)."
        return BackendRefusal(status: status, detail: detail, fields: fields)
    }

    /// One connection pool for the whole process; URLSession is thread-safe.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 16
        configuration.timeoutIntervalForRequest = 15
        return URLSession(configuration: configuration)
    }()
}
