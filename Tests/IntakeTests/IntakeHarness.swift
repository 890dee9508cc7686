import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Models
import NIOCore
import PostgresNIO
import ServiceKit
import Store
import TestSupport

@testable import Intake

/// Intake's router on a database of its own, with tokens signed by a test secret and the
/// demo geography loaded: district 320505, streets -001 and -002, communities, compounds;
/// and district 320115 for cross-district checks.
struct IntakeHarness {
    static let secret = "intake-test-secret"
    static let registry = Observability.bootstrap(logLevel: .warning)

    let database: TestDatabase

    static func create() async throws -> IntakeHarness {
        IntakeHarness(database: try await TestDatabase.create(migrations: CoreMigrations.all + IntakeService.description.migrations))
    }

    static func token(_ role: AccessRole, _ area: String?, subject: String = "tester") -> String {
        let access = AccessToken(subject: subject, role: role, area: area.flatMap(AreaCode.init), expiresAt: Date().addingTimeInterval(3600))
        return try! TokenSigner(secret: secret).issue(access)
    }

    static let areas: [[String: String]] = [
        ["code": "320505", "name": "虎丘区"], ["code": "320505-001", "name": "狮山"], ["code": "320505-002", "name": "横塘街道"],
        ["code": "320505-001-001", "name": "和平社区"], ["code": "320505-001-002", "name": "幸福社区"], ["code": "320505-002-001", "name": "阳光社区"],
        ["code": "320505-001-001-01", "name": "和平苑"], ["code": "320505-002-001-01", "name": "阳光花园"],
        ["code": "320115", "name": "江宁区"], ["code": "320115-001", "name": "禄口街道"], ["code": "320115-001-001", "name": "新洲村"],
    ]

    /// Runs `body` against the router, after loading the geography.
    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await database.withClient { client in
            var configuration = ServiceConfiguration(database: database.url, bus: BusEndpointsForTests.unused, httpPort: 0)
            configuration.tokenSecret = Self.secret
            let dependencies = ServiceDependencies(service: "intake", client: client, configuration: configuration, logger: .test)
            let (router, services) = ServiceApplication.buildRouter(IntakeService.description, dependencies: dependencies, registry: Self.registry)
            try await withRunningServices(services) {
                try await Application(router: router, logger: .test).test(.router) { client in
                    let loaded = try await client.send(.put, "/v1/areas", token: Self.token(.operator, nil), json: Self.areas)
                    precondition(loaded.status == .ok, "loading the test geography failed: \(String(buffer: loaded.body))")
                    try await body(client)
                }
            }
        }
    }

    /// Events intake wrote to its outbox, in order.
    func events(_ topic: String) async throws -> [JSONValue] {
        try await database.withClient { client in
            var events: [JSONValue] = []
            for try await data in try await client.query("SELECT data::text FROM outbox WHERE topic = \(topic) ORDER BY position", logger: .test).decode(String.self) {
                events.append(try JSONParser.parse(Array(data.utf8)))
            }
            return events
        }
    }

    func count(_ sql: String) async throws -> Int {
        try await database.scalar(PostgresQuery(unsafeSQL: sql), as: Int.self) ?? -1
    }
}

import EventBus

enum BusEndpointsForTests {
    static var unused: BusEndpoints {
        let (publish, subscribe, replay) = FreePort.busEndpoints()
        return BusEndpoints(publish: publish, subscribe: subscribe, replay: replay)
    }
}

extension TestClientProtocol {
    /// Sends JSON with an optional bearer token and idempotency key.
    @discardableResult
    func send(
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
    var json: JSONValue { (try? JSONParser.parse(Array(buffer: body))) ?? .null }
}

/// A JSON object literal for request bodies.
struct Body: Encodable {
    let value: JSONValue
    init(_ members: [String: JSONValue]) { value = .object(members) }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
