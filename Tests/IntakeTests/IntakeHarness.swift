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
    static let secret = ServiceHarness.secret

    let service: ServiceHarness
    var database: TestDatabase { service.database }

    static func create() async throws -> IntakeHarness {
        IntakeHarness(service: try await ServiceHarness.create(IntakeService.description))
    }

    static func token(_ role: AccessRole, _ area: String?, subject: String = "tester") -> String {
        ServiceHarness.token(role, area, subject: subject)
    }

    static let areas: [[String: String]] = [
        ["code": "320505", "name": "虎丘区"], ["code": "320505-001", "name": "狮山"], ["code": "320505-002", "name": "横塘街道"],
        ["code": "320505-001-001", "name": "和平社区"], ["code": "320505-001-002", "name": "幸福社区"], ["code": "320505-002-001", "name": "阳光社区"],
        ["code": "320505-001-001-01", "name": "和平苑"], ["code": "320505-002-001-01", "name": "阳光花园"],
        ["code": "320115", "name": "江宁区"], ["code": "320115-001", "name": "禄口街道"], ["code": "320115-001-001", "name": "新洲村"],
    ]

    /// Runs `body` against the router, after loading the geography.
    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await service.run { client in
            try await Self.loadGeography(client)
            try await body(client)
        }
    }

    /// Loads the test geography through intake's own endpoint.
    static func loadGeography(_ client: any TestClientProtocol) async throws {
        let loaded = try await client.send(.put, "/v1/areas", token: token(.operator, nil), json: areas)
        precondition(loaded.status == .ok, "loading the test geography failed: \(String(buffer: loaded.body))")
    }

    func events(_ topic: String) async throws -> [JSONValue] { try await service.events(topic) }

    func count(_ sql: String) async throws -> Int { try await service.count(sql) }
}
