import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Models
import NIOCore
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// Issue 14, through intake's HTTP API: bodies and idempotency keys that once answered 500,
/// were executed differently from how they were fingerprinted, or let one anonymous device
/// read another's answer. Each is a 400 now, and nothing is written.
@Suite struct RequestBodyHardeningTests {
    static let staff = IntakeHarness.token(.staff, "320505-001")

    /// Sends `text` as it is: the encoder would never write a repeated key or a lone surrogate.
    static func sendRaw(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, _ text: String,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        headers[.contentType] = "application/json"
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: text))
    }

    /// The JSON text of a resident's request, with `extra` members spliced in as written.
    static func requestText(_ extra: String) throws -> String {
        let text = String(decoding: try JSONEncoder().encode(Fixtures.request()), as: UTF8.self)
        return String(text.dropLast()) + "," + extra + "}"
    }

    static func fields(_ response: TestResponse) -> [String] {
        response.json["errors"].arrayValue.compactMap { $0["field"]?.stringValue }
    }

    @Test func controlCharactersAndLoneSurrogatesInUnvalidatedFieldsAre400NotServerErrors() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let organization = try await client.send(
                .post, "/v1/organizations", token: Self.staff,
                json: Body([
                    "kind": .string("social-work-station"), "name": .string("狮山社工站"), "area": .string("320505-001"),
                ]))
            let call = { (roles: String) in
                #"{"organizationId":"\#(organization.json["id"]!.stringValue!)","area":"320505-001","title":"招募令","headcount":20,"#
                    + #""deadline":"\#(Timestamp.format(Date().addingTimeInterval(86_400)))","roles":\#(roles)}"#
            }
            let nul = try await Self.sendRaw(
                client, .post, "/v1/recruitment-calls", token: Self.staff, call(#"["registration","queue\u0000"]"#))
            #expect(nul.status == .badRequest)
            #expect(Self.fields(nul) == ["roles/1"])
            let unit = try await Self.sendRaw(client, .post, "/v1/recruitment-calls", token: Self.staff, call(#"["registration\u001f"]"#))
            #expect(unit.status == .badRequest)
            let surrogate = try await Self.sendRaw(client, .post, "/v1/recruitment-calls", token: Self.staff, call(#"["\ud800"]"#))
            #expect(surrogate.status == .badRequest)
            #expect(Self.fields(surrogate) == ["roles/0"])
            // In a key, too: the decoder ignores an unknown member, but the body is refused whole.
            let key = try await Self.sendRaw(client, .post, "/v1/requests", try Self.requestText(#""x\u0000":1"#))
            #expect(key.status == .badRequest)
            // The control is still accepted where it is ordinary text: a line break in an address.
            let lineBreak = try await Self.sendRaw(client, .post, "/v1/requests", try Self.requestText(#""note":"a\nb""#))
            #expect(lineBreak.status == .created)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM recruitment_calls") == 0)
        #expect(try await harness.count("SELECT count(*)::int FROM requests") == 1)
    }

    @Test func aRepeatedKeyIsRefusedSoWhatRunsIsWhatWasFingerprinted() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let twice = try await Self.sendRaw(
                client, .post, "/v1/requests", try Self.requestText(#""category":"medicine""#), headers: [.init("Idempotency-Key")!: "k1"]
            )
            #expect(twice.status == .badRequest)
            #expect(Self.fields(twice) == ["category"])
            #expect(twice.json["errors"].arrayValue.first?["message"]?.stringValue?.contains("more than once") == true)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM requests") == 0)
        #expect(try await harness.count("SELECT count(*)::int FROM idempotency_keys") == 0)
    }

    @Test func nestingIsLimitedForEveryBody() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
            let refused = try await Self.sendRaw(client, .post, "/v1/requests", try Self.requestText(#""extra":\#(deep)"#))
            #expect(refused.status == .badRequest)
            #expect(Self.fields(refused).first?.hasPrefix("extra/0/0") == true)
            let limit = JSONBodyCheck.maximumDepth
            let atLimit = String(repeating: "[", count: limit - 1) + String(repeating: "]", count: limit - 1)
            #expect(try await Self.sendRaw(client, .post, "/v1/requests", try Self.requestText(#""extra":\#(atLimit)"#)).status == .created)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM requests") == 1)
    }

    @Test func anIdempotencyKeyIsLimitedInBytesNotCharacters() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            // 200 characters of 4 bytes each, and one character of 12 KB (a letter and its combining marks).
            for key in [
                String(repeating: "😀", count: 200), "e" + String(repeating: "\u{301}", count: 6000), String(repeating: "k", count: 201),
            ] {
                let answer = try await client.send(
                    .post, "/v1/requests", token: Self.staff, idempotencyKey: key, json: Fixtures.request(filedBy: "phone-operator"))
                #expect(answer.status == .badRequest, "\(key.utf8.count) bytes")
            }
            // What clients send: a UUID, or short ASCII, up to 200 bytes.
            for key in [UUID().uuidString, String(repeating: "k", count: 200), "键-1"] {
                let answer = try await client.send(
                    .post, "/v1/requests", token: Self.staff, idempotencyKey: key, json: Fixtures.request(filedBy: "phone-operator"))
                #expect(answer.status == .created, "\(key)")
            }
        }
        #expect(try await harness.count("SELECT count(*)::int FROM requests") == 3)
    }

    /// Intake on a real socket, believing `X-Forwarded-For` from the loopback balancer, so
    /// requests can come from different client addresses.
    static func runLive(_ harness: IntakeHarness, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await harness.database.withClient { client in
            var configuration = ServiceConfiguration(database: harness.database.url, bus: ServiceHarness.unusedBus, httpPort: 0)
            configuration.tokenSecret = ServiceHarness.secret
            configuration.trustedProxies = try TrustedProxies(parsing: "127.0.0.1 ::1")
            let dependencies = ServiceDependencies(
                service: IntakeService.description.name, client: client, configuration: configuration, logger: .test)
            let (router, _) = ServiceApplication.buildRouter(
                IntakeService.description, dependencies: dependencies, registry: Observability.bootstrap(logLevel: .warning)
            )
            try await Application(router: router, logger: .test).test(.live) { client in
                try await IntakeHarness.loadGeography(client)
                try await body(client)
            }
        }
    }

    @Test func anonymousDevicesDoNotShareIdempotencyKeys() async throws {
        let harness = try await IntakeHarness.create()
        let ids = Recorder<String>()
        try await Self.runLive(harness) { client in
            // Residents' phones filing requests without a token, each numbering its keys from 1.
            func file(_ category: String, from address: String) async throws -> TestResponse {
                try await client.send(
                    .post, "/v1/requests", idempotencyKey: "1", json: Fixtures.request(category: category),
                    headers: [.init("X-Forwarded-For")!: address]
                )
            }
            let first = try await file("groceries", from: "198.51.100.1")
            let second = try await file("haircut", from: "198.51.100.2")
            #expect(first.status == .created)
            #expect(second.status == .created, "another device's key \"1\" is not this one's")
            #expect(first.json["id"] != second.json["id"])
            // A retry from the same device still gets its own stored answer.
            let retry = try await file("groceries", from: "198.51.100.1")
            #expect(retry.status == .created)
            #expect(retry.json["id"] == first.json["id"])
            ids.append(contentsOf: [first, second].compactMap { $0.json["id"]?.stringValue })
        }
        #expect(Set(ids.all).count == 2)
        #expect(try await harness.count("SELECT count(*)::int FROM requests") == 2)
    }
}
