import EventBus
import Foundation
import Models
import ServiceKit
import TestSupport
import Testing

/// The bus's HTTP event stream (`GET /v1/events`), read by curl as an integrator without
/// ZeroMQ would: cut mid-stream and resumed with `Last-Event-ID`, refused outside its key's
/// grant, and ended when its key is revoked. A real `shouwang-bus` process, real events
/// published by `shouwang publish-test`.
@Suite struct EventStreamTests {
    static let secret = "event-stream-tests-secret-0123456789abcdef"

    /// One event as the stream sent it.
    struct Frame {
        var id: String
        var topic: String
        var envelope: EventEnvelope
    }

    /// What one curl run read: the HTTP status, every complete frame, and the raw text.
    struct Reading {
        var status: Int
        var frames: [Frame]
        var text: String
        var seconds: Double
    }

    static func token(_ subject: String, role: AccessRole = .integrator) throws -> String {
        try TokenSigner(secret: secret).issue(
            AccessToken(
                subject: subject, role: role, area: role == .integrator ? nil : AreaCode("320505-001"),
                expiresAt: Date().addingTimeInterval(3600), issuedAt: Date()))
    }

    /// Runs curl on the stream for at most `seconds` (`--max-time`), optionally throttled.
    static func read(
        port: Int, query: String, token: String?, lastEventID: String? = nil, seconds: Double, limitRate: String? = nil
    ) async throws -> Reading {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let body = folder.appendingPathComponent("body")
        let head = folder.appendingPathComponent("head")
        var arguments = ["-sS", "-N", "--max-time", String(seconds), "-D", head.path, "-o", body.path]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let lastEventID { arguments += ["-H", "Last-Event-ID: \(lastEventID)"] }
        if let limitRate { arguments += ["--limit-rate", limitRate] }
        arguments.append("http://127.0.0.1:\(port)/v1/events?\(query)")
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = arguments
        let started = ContinuousClock.now
        try curl.run()
        while curl.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        let elapsed = ContinuousClock.now - started
        let headers = (try? String(contentsOf: head, encoding: .utf8)) ?? ""
        let status = headers.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        let text = (try? String(contentsOf: body, encoding: .utf8)) ?? ""
        return Reading(
            status: status, frames: try frames(text), text: text,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// The complete frames of `text` (a frame cut by the disconnect has no blank line after it).
    static func frames(_ text: String) throws -> [Frame] {
        var frames: [Frame] = []
        for block in text.components(separatedBy: "\n\n").dropLast() {
            var fields: [String: String] = [:]
            for line in block.split(separator: "\n") where !line.hasPrefix(":") {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { continue }
                fields[String(parts[0])] = String(parts[1].dropFirst())
            }
            guard let id = fields["id"], let topic = fields["event"], let data = fields["data"] else { continue }
            frames.append(Frame(id: id, topic: topic, envelope: try JSONDecoder().decode(EventEnvelope.self, from: Data(data.utf8))))
        }
        return frames
    }

    /// A bus process with the token secret, an integrator key `sse-reader` reading `sse.`,
    /// and `count` events published on three `sse.probe.*` topics.
    static func deployment(count: Int) async throws -> (suite: Deployment, bus: ChildProcess, port: Int) {
        let suite = try await Deployment.create()
        _ = try await suite.testBus.client("sse-reader", role: .integrator, prefixes: ["sse."])
        _ = try await suite.testBus.client("sse-probe", role: .integrator, prefixes: ["sse."])
        let port = FreePort.next()
        // The services' token secret is not the bus's: a staff token signed with it is refused.
        let bus = try await suite.startBus(httpPort: port, environment: ["SHOUWANG_INTEGRATOR_TOKEN_SECRET": secret])
        try await publish(suite, count: count)
        return (suite, bus, port)
    }

    /// Whether the bus serves streams: its keys loaded, asked with a key of its own so that
    /// `sse-reader`'s slots stay free (a stream whose client left holds its slot until its
    /// next keep-alive write).
    static func ready(_ port: Int) async -> Bool {
        guard let token = try? token("sse-probe") else { return false }
        return await eventually(timeout: .seconds(10)) {
            (try? await read(port: port, query: "prefix=sse.", token: token, seconds: 0.5).status) == 200
        }
    }

    static func publish(_ suite: Deployment, count: Int) async throws {
        let publisher = try await suite.start(
            "shouwang", ["publish-test", "--count", "\(count)", "--stream", "sse", "--topics", "3", "--batch", "500"], stream: "sse")
        let status = await publisher.waitForExit(timeout: .seconds(120))
        guard status == 0 else { throw TestSetupError("publish-test failed: \(publisher.errorOutput)") }
    }

    @Test func aStreamCutMidwayResumesFromItsLastEventIDWithNothingLostOrTwice() async throws {
        let (suite, bus, port) = try await Self.deployment(count: 3000)
        defer { bus.terminate() }
        let token = try Self.token("sse-reader")
        // The key registered a moment ago reaches the bus within its 2 s reload.
        #expect(await Self.ready(port))

        // A slow reader, cut mid-stream: it got part of it.
        // At 20 kB/s the 3,000 events (~1.2 MB) take a minute; on a loaded machine the first
        // ones may take seconds to come, so the cut comes later until some have.
        var first = try await Self.read(port: port, query: "prefix=sse.&from=beginning", token: token, seconds: 2, limitRate: "20k")
        for seconds in [4.0, 8.0] where first.frames.isEmpty {
            first = try await Self.read(port: port, query: "prefix=sse.&from=beginning", token: token, seconds: seconds, limitRate: "20k")
        }
        #expect(first.status == 200)
        #expect(first.text.hasPrefix("retry: 2000\n\n"))
        #expect(!first.frames.isEmpty && first.frames.count < 3000, "\(first.frames.count) events before the cut")
        var received = first.frames
        // Then it reconnects with the last id it saw until it has caught up.
        for _ in 0..<20 where Set(received.map { "\($0.topic)#\($0.envelope.seq)" }).count < 3000 {
            let next = try await Self.read(
                port: port, query: "prefix=sse.", token: token, lastEventID: received.last!.id, seconds: 3)
            #expect(next.status == 200)
            received += next.frames
        }
        let keys = received.map { "\($0.topic)#\($0.envelope.seq)" }
        #expect(keys.count == 3000, "every event once: \(keys.count) received")
        #expect(Set(keys).count == keys.count, "nothing twice")
        #expect(isGapFreePerTopic(received.map(\.envelope)))
        #expect(received.allSatisfy { $0.topic == $0.envelope.topic.rawValue && $0.topic.hasPrefix("sse.probe.") })

        // Events published later reach a stream resumed after the last one, once each.
        try await Self.publish(suite, count: 500)
        let later = try await Self.read(port: port, query: "prefix=sse.", token: token, lastEventID: received.last!.id, seconds: 3)
        #expect(later.frames.count == 500)
        #expect(Set(later.frames.map { "\($0.topic)#\($0.envelope.seq)" }).isDisjoint(with: keys))
    }

    @Test func aStreamFromNowSaysWhereItStartsSoItCanBeResumedBeforeItsFirstEvent() async throws {
        let (suite, bus, port) = try await Self.deployment(count: 30)
        defer { bus.terminate() }
        let token = try Self.token("sse-reader")
        #expect(await Self.ready(port))
        let opened = try await Self.read(port: port, query: "prefix=sse.", token: token, seconds: 2)
        #expect(opened.frames.isEmpty, "from=now: nothing of the past")
        let start = try #require(
            opened.text.components(separatedBy: "\n\n").compactMap { $0.hasPrefix("id: ") ? String($0.dropFirst(4)) : nil }.first,
            "an id alone, before any event: \(opened.text)")
        try await Self.publish(suite, count: 20)
        let resumed = try await Self.read(port: port, query: "prefix=sse.", token: token, lastEventID: start, seconds: 3)
        #expect(resumed.frames.count == 20, "only what came after the heads it started from")
        #expect(resumed.frames.allSatisfy { $0.envelope.seq > 10 })
    }

    @Test func oneKeyHoldsAtMostFourStreamsAndAFifthIsToldToComeBack() async throws {
        let (_, bus, port) = try await Self.deployment(count: 5)
        defer { bus.terminate() }
        let token = try Self.token("sse-reader")
        #expect(await Self.ready(port))
        async let a = Self.read(port: port, query: "prefix=sse.", token: token, seconds: 8)
        async let b = Self.read(port: port, query: "prefix=sse.", token: token, seconds: 8)
        async let c = Self.read(port: port, query: "prefix=sse.", token: token, seconds: 8)
        async let d = Self.read(port: port, query: "prefix=sse.", token: token, seconds: 8)
        try await Task.sleep(for: .seconds(3))
        let fifth = try await Self.read(port: port, query: "prefix=sse.&from=beginning", token: token, seconds: 4)
        #expect(fifth.status == 200)
        #expect(fifth.frames.isEmpty && fifth.text.contains("no free stream") && fifth.text.contains("retry: 5000"), "\(fifth.text)")
        #expect(fifth.seconds < 3, "told at once, not held open")
        let four = try await [a, b, c, d]
        #expect(four.allSatisfy { $0.status == 200 && $0.text.hasPrefix("retry: 2000") })
    }

    @Test func aBusAskedToStopEndsItsStreamsAndExits() async throws {
        let (_, bus, port) = try await Self.deployment(count: 10)
        let token = try Self.token("sse-reader")
        #expect(await Self.ready(port))
        async let open = Self.read(port: port, query: "prefix=sse.&from=beginning", token: token, seconds: 25)
        try await Task.sleep(for: .seconds(2))
        bus.terminate()
        let status = await bus.waitForExit(timeout: .seconds(30))
        let ended = try await open
        #expect(status == 0, "\(bus.errorOutput.suffix(2000))")
        #expect(ended.frames.count == 10)
        #expect(ended.seconds < 15, "an open stream must not hold the bus's shutdown: \(ended.seconds) s")
    }

    @Test func anOperatorIssuesAnIntegratorTokenWithoutAnAreaAndTheHelpNamesEveryRole() async throws {
        let suite = try await Deployment.create()
        let help = try await suite.start("shouwang", ["token", "--help"], keyless: true)
        #expect(await help.waitForExit() == 0)
        for role in AccessRole.allCases { #expect(help.output.contains(role.rawValue), "\(role) in: \(help.output)") }
        let issued = try await suite.start(
            "shouwang", ["token", "--role", "integrator", "--subject", "sse-reader"], keyless: true,
            environment: ["SHOUWANG_INTEGRATOR_TOKEN_SECRET": Self.secret, "SHOUWANG_TOKEN_SECRET": "the-services-secret-not-this-one"])
        #expect(await issued.waitForExit() == 0, "\(issued.errorOutput)")
        let access = try TokenSigner(secret: Self.secret).verify(issued.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(access.role == .integrator && access.subject == "sse-reader" && access.area == nil)
        let staff = try await suite.start(
            "shouwang", ["token", "--role", "staff", "--subject", "s"], keyless: true, environment: ["SHOUWANG_TOKEN_SECRET": Self.secret])
        #expect(await staff.waitForExit() != 0)
        #expect(staff.errorOutput.contains("only an operator or an integrator may have no --area"), "\(staff.errorOutput)")
    }

    @Test func aStreamReadsOnlyItsKeysGrantAndEndsWhenTheKeyIsRevoked() async throws {
        let (suite, bus, port) = try await Self.deployment(count: 10)
        defer { bus.terminate() }
        let token = try Self.token("sse-reader")
        #expect(await Self.ready(port))
        let refusals: [(String, String?, Int)] = [
            ("prefix=sse.", nil, 401),
            ("prefix=sse.", try Self.token("staff-1", role: .staff), 403),
            ("prefix=sse.", try Self.token("nobody-registered"), 403),
            ("prefix=intake.", token, 403),
            ("prefix=", token, 403),
            ("from=beginning", token, 422),
            ("prefix=sse.&from=yesterday", token, 422),
        ]
        for (query, caller, expected) in refusals {
            let reading = try await Self.read(port: port, query: query, token: caller, seconds: 5)
            #expect(reading.status == expected, "\(query): \(reading.text)")
            #expect(reading.frames.isEmpty)
        }
        let forged = try await Self.read(port: port, query: "prefix=sse.", token: token, lastEventID: "not-a-cursor!", seconds: 5)
        #expect(forged.status == 422, "\(forged.text)")

        // An open stream ends once the key is revoked: long before curl's own 25 s limit.
        async let open = Self.read(port: port, query: "prefix=sse.&from=beginning", token: token, seconds: 25)
        try await Task.sleep(for: .seconds(2))
        let revoke = try await suite.start("shouwang", ["keys", "revoke", "sse-reader"], keyless: true)
        #expect(await revoke.waitForExit(timeout: .seconds(60)) == 0, "\(revoke.errorOutput)")
        let ended = try await open
        #expect(ended.status == 200)
        #expect(ended.frames.count == 10, "what was published, before the revocation")
        #expect(ended.seconds < 15, "the stream ended \(ended.seconds) s after it opened")
        let after = try await Self.read(port: port, query: "prefix=sse.", token: token, seconds: 5)
        #expect(after.status == 403)
    }
}
