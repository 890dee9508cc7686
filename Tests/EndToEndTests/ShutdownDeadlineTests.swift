import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A replica asked to stop (SIGTERM, as a balancer's scale-down or an orchestrator does)
/// stops within its grace even when a request never finishes.
@Suite struct ShutdownDeadlineTests {
    /// Opens a connection to `port` and sends a request whose announced body never comes:
    /// the server holds it in flight until the connection closes. Returns the socket.
    static func holdARequestOpen(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestSetupError("could not connect to port \(port)") }
        let head =
            "POST /v1/requests HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"category\":"
        _ = head.withCString { send(fd, $0, strlen($0), 0) }
        return fd
    }

    static func startIntake(_ suite: Deployment, grace: String, drain: String = "0") async throws -> (ChildProcess, Int) {
        let port = FreePort.next()
        let intake = try await suite.start(
            "shouwang-intake", ["--port", "\(port)"],
            environment: ["SHOUWANG_SHUTDOWN_GRACE_SECONDS": grace, "SHOUWANG_DRAIN_SECONDS": drain]
        )
        let ready = await answers("http://127.0.0.1:\(port)/healthz")
        guard ready else { throw TestSetupError("intake did not start: \(intake.errorOutput)") }
        return (intake, port)
    }

    @Test func aRequestThatNeverEndsHoldsAStopOnlyUntilTheGraceRunsOut() async throws {
        let suite = try await Deployment.create()
        let bus = try await suite.startBus()
        defer { bus.terminate() }
        let (intake, port) = try await Self.startIntake(suite, grace: "2")
        let held = try Self.holdARequestOpen(port: port)
        defer { close(held) }
        try await Task.sleep(for: .milliseconds(300))

        let asked = ContinuousClock.now
        intake.terminate()
        #expect(await intake.waitForExit(timeout: .seconds(1)) == nil, "the open request holds the graceful stop")
        let status = await intake.waitForExit(timeout: .seconds(15))
        let took = ContinuousClock.now - asked
        #expect(status == 75, "exits on its deadline, saying it did not finish cleanly")
        #expect(took < .seconds(10), "within the grace (2 s) and a little, not until killed: took \(took)")
        #expect(intake.errorOutput.contains("graceful shutdown did not finish in time"))
    }

    @Test func withNothingInFlightAStopIsCleanAndPrompt() async throws {
        let suite = try await Deployment.create()
        let bus = try await suite.startBus()
        defer { bus.terminate() }
        let (intake, _) = try await Self.startIntake(suite, grace: "20")
        intake.terminate()
        #expect(await intake.waitForExit(timeout: .seconds(15)) == 0)
        #expect(!intake.errorOutput.contains("graceful shutdown did not finish in time"))
    }

    static func status(_ port: Int, _ path: String) async -> Int {
        await httpStatus("http://127.0.0.1:\(port)\(path)", timeout: 2)
    }

    @Test func aStoppingReplicaLeavesTheBalancerFirstAndServesWhileItDoes() async throws {
        let suite = try await Deployment.create()
        let bus = try await suite.startBus()
        defer { bus.terminate() }
        let (intake, port) = try await Self.startIntake(suite, grace: "20", drain: "3")
        #expect(await Self.status(port, "/readyz?for=traffic") == 200)

        let asked = ContinuousClock.now
        intake.terminate()
        let draining = await eventually(timeout: .seconds(2), every: .milliseconds(100)) {
            await Self.status(port, "/readyz?for=traffic") == 503
        }
        #expect(draining, "a balancer's check fails at once")
        #expect(await Self.status(port, "/openapi.json") == 200, "requests are still served while the balancer notices")
        #expect(await intake.waitForExit(timeout: .seconds(15)) == 0)
        #expect(ContinuousClock.now - asked >= .seconds(3), "the listener stayed open for the drain period")
    }
}
