import Foundation
import Store
import TestSupport
import Testing

/// Processes starting together, reporting ready, and stopping on SIGTERM.
@Suite(.serialized) struct StartupTests {
    @Test func fiveProcessesMigratingAtOnceCreateTheSchemaOnce() async throws {
        let suite = try await Deployment.create(migrated: false)
        var migrators: [ChildProcess] = []
        for _ in 0..<5 { migrators.append(try await suite.start("shouwang", ["migrate"], keyless: true)) }
        var outputs: [String] = []
        for migrator in migrators {
            #expect(await migrator.waitForExit(timeout: .seconds(60)) == 0, "\(migrator.errorOutput)")
            outputs.append(migrator.output)
        }
        #expect(outputs.filter { $0.contains("applied core/1") }.count == 1)
        #expect(outputs.filter { $0.contains("schema is up to date") }.count == 4)
        #expect(
            try await suite.database.scalar("SELECT count(*)::int FROM schema_migrations WHERE component = 'core'", as: Int.self)
                == CoreMigrations.all.count)
    }

    @Test(arguments: ["shouwang-intake", "shouwang-matching", "shouwang-supplies", "shouwang-outreach"])
    func aServiceStartsReportsReadyAndStopsGracefully(executable: String) async throws {
        let suite = try await Deployment.create()
        let bus = try await suite.startBus()
        let port = FreePort.next()
        let service = try await suite.start(executable, ["--port", "\(port)"])
        let statusKey = try await suite.key(stream: "tool")
        let ready = await eventually(timeout: .seconds(30), every: .milliseconds(200)) {
            let status = try? await suite.start("shouwang", ["status", "--service", "svc=http://127.0.0.1:\(port)"], key: statusKey)
            return await status?.waitForExit() == 0
        }
        #expect(ready, "\(service.errorOutput)")
        service.terminate()
        #expect(await service.waitForExit(timeout: .seconds(15)) == 0, "did not stop on SIGTERM: \(service.errorOutput)")
        bus.terminate()
        #expect(await bus.waitForExit(timeout: .seconds(15)) == 0)
    }

    @Test func statusSaysWhatIsNotReadyAndFails() async throws {
        let suite = try await Deployment.create()
        let status = try await suite.start(
            "shouwang", ["status", "--service", "intake=http://127.0.0.1:\(FreePort.next())", "--timeout", "0.5"])
        #expect(await status.waitForExit() == 1)
        #expect(status.output.contains("bus       NOT READY"))
        #expect(status.output.contains("intake    NOT READY"))
    }
}
