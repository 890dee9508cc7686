import Bus
import EventBus
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import ZeroMQ

/// A private, secured bus for one test: free loopback ports, a server key pair, and client
/// keys registered in the test's database — security on, as in production.
public struct TestBus: Sendable {
    public let database: TestDatabase
    public let server: BusServerSecurity
    /// The bus's endpoints with no client credentials (what an unkeyed client would use).
    public let anonymous: BusEndpoints
    /// The in-process bus's view of the keys (for ``services(client:)``).
    public let access: BusAccess

    /// A bus on free ports for `database` (which must have the core migrations).
    public static func create(_ database: TestDatabase) throws -> TestBus {
        let (publish, subscribe, replay) = FreePort.busEndpoints()
        let server = BusServerSecurity(keys: try ZMQCurveKeyPair.generate())
        return TestBus(
            database: database, server: server, anonymous: BusEndpoints(publish: publish, subscribe: subscribe, replay: replay),
            access: BusAccess(security: server, logger: .test)
        )
    }

    /// Registers a key with `role` and grants, and returns endpoints that authenticate with it.
    /// An in-process bus knows it at once; a bus process within its reload interval.
    public func client(
        _ name: String, role: BusKeyGrant.Role = .service, stream: String? = nil, prefixes: [String]? = nil
    ) async throws -> BusEndpoints {
        let keys = try ZMQCurveKeyPair.generate()
        let grant = BusKeyGrant(
            name: name, publicKey: keys.publicKey, role: role, stream: role == .integrator ? nil : (stream ?? name),
            prefixes: prefixes ?? (role == .publisher ? [] : [""])
        )
        let ring = try await database.withClient { client in
            let store = BusKeyStore(client: client, logger: .test)
            try await store.create(grant)
            return try await store.activeRing()
        }
        access.install(ring)
        var endpoints = anonymous
        endpoints.credentials = BusCredentials(serverKey: server.keys.publicKey, keys: keys)
        return endpoints
    }

    /// Endpoints that present a key the bus has never heard of.
    public func stranger() throws -> BusEndpoints {
        var endpoints = anonymous
        endpoints.credentials = BusCredentials(serverKey: server.keys.publicKey, keys: try ZMQCurveKeyPair.generate())
        return endpoints
    }

    /// The bus's services for an in-process run: the key watch (reloading every 200 ms) and
    /// the server. Returns the access too, for tests that look at it.
    public func services(client: PostgresClient) -> (services: [any Service], access: BusAccess) {
        let watch = BusKeyWatch(
            store: BusKeyStore(client: client, logger: .test), access: access, interval: .milliseconds(200), logger: .test)
        return ([watch, BusServer(endpoints: anonymous, client: client, access: access, logger: .test)], access)
    }

    /// The environment of a `shouwang-bus` child process serving this bus, with its secret
    /// in a file of mode 0600 (as a deployment would mount it).
    public func serverEnvironment() throws -> [String: String] {
        [
            "SHOUWANG_BUS_SERVER_SECRET_KEY_FILE": try Self.secretFile(server.keys.secretKey),
            "SHOUWANG_BUS_PUBLISH": anonymous.publish, "SHOUWANG_BUS_SUBSCRIBE": anonymous.subscribe,
            "SHOUWANG_BUS_REPLAY": anonymous.replay,
        ]
    }

    /// The environment of a child process that connects with `endpoints`' key.
    public static func clientEnvironment(_ endpoints: BusEndpoints) throws -> [String: String] {
        var environment = [
            "SHOUWANG_BUS_PUBLISH": endpoints.publish, "SHOUWANG_BUS_SUBSCRIBE": endpoints.subscribe,
            "SHOUWANG_BUS_REPLAY": endpoints.replay,
        ]
        if let credentials = endpoints.credentials {
            environment["SHOUWANG_BUS_SERVER_KEY"] = credentials.serverKey
            environment["SHOUWANG_BUS_SECRET_KEY_FILE"] = try secretFile(credentials.keys.secretKey)
        }
        return environment
    }

    private static func secretFile(_ secret: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shouwang-key-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw TestSetupError("could not write a test key file at \(path)")
        }
        return path
    }
}
