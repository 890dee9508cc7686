import EventBus
import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The operator's side of bus security, through the real executables: keys managed with
/// the CLI, processes that refuse to run open, and the bus's own health endpoints.
@Suite struct BusKeysTests {
    static func run(_ suite: Deployment, _ arguments: [String]) async throws -> (status: Int32?, output: String, errors: String) {
        let process = try await suite.start("shouwang", arguments, keyless: true)
        let status = await process.waitForExit(timeout: .seconds(60))
        return (status, process.output, process.errorOutput)
    }

    @Test func anOperatorGeneratesRegistersListsAndRevokesKeys() async throws {
        let suite = try await Deployment.create()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lab-\(UUID().uuidString).key").path
        let generated = try await Self.run(suite, ["keys", "generate", "--secret-file", file])
        #expect(generated.status == 0, "\(generated.errors)")
        let publicKey = generated.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(publicKey.utf8.count == 40)
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600, "a secret key is readable by its owner only")
        let secret = try String(contentsOfFile: file, encoding: .utf8)
        let again = try await Self.run(suite, ["keys", "generate", "--secret-file", file])
        #expect(again.status != 0)
        #expect(again.errors.contains("never overwritten"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == secret)

        let created = try await Self.run(
            suite, ["keys", "create", "--name", "lab", "--role", "integrator", "--prefix", "intake.testing.", "--public-key", publicKey])
        #expect(created.status == 0, "\(created.errors)")
        let duplicate = try await Self.run(
            suite, ["keys", "create", "--name", "lab", "--role", "integrator", "--prefix", "intake.", "--public-key", publicKey])
        #expect(duplicate.status != 0)
        #expect(duplicate.errors.contains("already registered"))
        let noGrant = try await Self.run(suite, ["keys", "create", "--name", "lab2", "--role", "integrator", "--secret-file", file + ".2"])
        #expect(noGrant.status != 0)
        #expect(noGrant.errors.contains("--prefix"))
        #expect(!FileManager.default.fileExists(atPath: file + ".2"), "a refused key leaves no secret behind")

        let listed = try await Self.run(suite, ["keys", "list"])
        let line = try #require(listed.output.split(separator: "\n").first { $0.hasPrefix("lab ") })
        #expect(line.contains("integrator") && line.contains("intake.testing.") && line.contains("active") && line.contains(publicKey))
        #expect(try await Self.run(suite, ["keys", "revoke", "lab"]).status == 0)
        let revokedLine = try #require(
            try await Self.run(suite, ["keys", "list"]).output.split(separator: "\n").first { $0.hasPrefix("lab ") })
        #expect(revokedLine.contains("revoked"))
        let twice = try await Self.run(suite, ["keys", "revoke", "lab"])
        #expect(twice.status != 0)
        #expect(twice.errors.contains("no active key named 'lab'"))
    }

    @Test func aBusWithoutItsKeyAndAServiceWithoutOneRefuseToStart() async throws {
        let suite = try await Deployment.create()
        let bus = try ChildProcess("shouwang-bus", ["--port", "\(FreePort.next())"], environment: suite.environment)
        #expect(await bus.waitForExit() != 0)
        #expect(bus.errorOutput.contains("SHOUWANG_BUS_SERVER_SECRET_KEY"), "\(bus.errorOutput)")
        let intake = try await suite.start("shouwang-intake", ["--port", "\(FreePort.next())"], keyless: true)
        #expect(await intake.waitForExit() != 0)
        #expect(intake.errorOutput.contains("no bus key"), "\(intake.errorOutput)")
    }

    @Test func theBusServesHealthReadinessAndMetrics() async throws {
        let suite = try await Deployment.create()
        let port = FreePort.next()
        let bus = try await suite.startBus(httpPort: port)
        defer { bus.terminate() }
        func get(_ path: String) async throws -> (Int, String) {
            let (body, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: body, as: UTF8.self))
        }
        #expect(try await get("/healthz").0 == 200)
        let ready = await eventually { (try? await get("/readyz").0) == 200 }
        #expect(ready)
        // A stranger knocks: the refusal is counted.
        let stranger = try suite.testBus.stranger()
        _ = try? await ReplayClient.ping(bus: stranger, timeoutMilliseconds: 500)
        let (status, metrics) = try await get("/metrics")
        #expect(status == 200)
        #expect(metrics.contains("shouwang_bus_handshakes_refused_total"))
        #expect(metrics.contains("shouwang_bus_handshakes_accepted_total"))
    }
}
