import Foundation
import Models
import ServiceKit
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A replica as it runs behind a balancer: which client a rate limit counts, secrets read
/// from files, and the replica registry `shouwang status` lists — over real sockets.
@Suite struct ClientAddressTests {
    /// A public sign-up with an empty form to a call that does not exist: the limiter runs
    /// first, so the answer is 429 when refused, and a 4xx about the form or call when admitted.
    static func signUp(_ base: String, forwardedFor: String? = nil, token: String? = nil) async throws -> (status: Int, retryAfter: String?)
    {
        var request = URLRequest(url: URL(string: "\(base)/v1/recruitment-calls/\(UUID())/sign-ups")!)
        request.httpMethod = "POST"
        request.httpBody = Data("{}".utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let forwardedFor { request.setValue(forwardedFor, forHTTPHeaderField: "X-Forwarded-For") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (_, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Retry-After"))
    }

    static func admitted(_ status: Int) -> Bool { status != 429 && (400..<500).contains(status) }

    /// Writes `text` to a new file readable by its owner only; returns its path.
    static func secretFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shouwang-secret-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw TestSetupError("could not write \(path)")
        }
        return path
    }

    /// Starts intake with its database URL and token secret given only as files, a public
    /// allowance of 1 in a burst, and `trusted` proxies; waits until it is ready.
    static func startIntake(_ suite: Deployment, secret: String, trusted: String?) async throws -> (ChildProcess, String) {
        let port = FreePort.next()
        var environment = [
            "SHOUWANG_DATABASE_URL": "",
            "SHOUWANG_DATABASE_URL_FILE": try secretFile(suite.environment["SHOUWANG_DATABASE_URL"]!),
            "SHOUWANG_TOKEN_SECRET_FILE": try secretFile(secret),
            // One at once, then one every 20 s (a staff token: 10, then one every 2 s): slow enough
            // that a loaded machine cannot refill a bucket mid-test.
            "SHOUWANG_INTAKE_PUBLIC_PER_MINUTE": "3",
        ]
        if let trusted { environment["SHOUWANG_TRUSTED_PROXIES"] = trusted }
        let process = try await suite.start("shouwang-intake", ["--port", "\(port)"], environment: environment)
        let base = "http://127.0.0.1:\(port)"
        let ready = await answers(base + "/readyz")
        guard ready else { throw TestSetupError("intake did not become ready: \(process.errorOutput)") }
        return (process, base)
    }

    @Test func aClientCannotEscapeTheLimitWithAForgedForwardedForButATrustedBalancersIsBelieved() async throws {
        let suite = try await Deployment.create()
        let bus = try await suite.startBus()
        let secret = "balancer-test-\(UUID())"
        let (direct, directURL) = try await Self.startIntake(suite, secret: secret, trusted: nil)
        let (balanced, balancedURL) = try await Self.startIntake(suite, secret: secret, trusted: "10.9.0.0/16, 127.0.0.1")
        defer { for process in [bus, direct, balanced] { process.terminate() } }

        // Reaching the replica directly, every request a different "client": one bucket, the socket's.
        let first = try await Self.signUp(directURL, forwardedFor: "203.0.113.1")
        let second = try await Self.signUp(directURL, forwardedFor: "203.0.113.2")
        #expect(Self.admitted(first.status))
        #expect(second.status == 429, "a new X-Forwarded-For from an untrusted peer is the same client")
        #expect(
            second.retryAfter.flatMap(Int.init).map { (1...60).contains($0) } == true,
            "Retry-After says when to come back: \(second.retryAfter ?? "none")")

        // A station desk with a staff token (signed with the secret read from a file) has its own bucket.
        let desk = try TokenSigner(secret: secret).issue(
            AccessToken(subject: "desk-1", role: .staff, area: AreaCode("320505-001"), expiresAt: Date().addingTimeInterval(600)))
        for _ in 0..<8 { #expect(Self.admitted(try await Self.signUp(directURL, token: desk).status)) }

        // Behind a trusted balancer (this test's own socket is 127.0.0.1): each forwarded client its own bucket,
        // and the chain is followed only through trusted hops.
        for n in 0..<12 { #expect(Self.admitted(try await Self.signUp(balancedURL, forwardedFor: "203.0.113.\(n)").status)) }
        #expect(Self.admitted(try await Self.signUp(balancedURL, forwardedFor: "192.0.2.1, 10.9.3.4").status))
        #expect(
            try await Self.signUp(balancedURL, forwardedFor: "192.0.2.1, 10.9.3.4").status == 429,
            "the client before the trusted hop 10.9.3.4 is 192.0.2.1")
        // "192.0.2.1" is spent; a client writing it in front of its own address is still itself.
        #expect(Self.admitted(try await Self.signUp(balancedURL, forwardedFor: "192.0.2.1, 198.51.100.99").status))
    }

    @Test func statusListsEveryReplicaAndSaysWhichStoppedCleanly() async throws {
        let suite = try await Deployment.create()
        let bus = try await suite.startBus()
        let secret = "replica-list-\(UUID())"
        let (first, firstURL) = try await Self.startIntake(suite, secret: secret, trusted: nil)
        let (second, secondURL) = try await Self.startIntake(suite, secret: secret, trusted: nil)
        defer { for process in [bus, first, second] { process.terminate() } }
        let key = try await suite.key(stream: "tool")

        let listed = await eventually(timeout: .seconds(20), every: .milliseconds(500)) {
            let status = try? await suite.start("shouwang", ["status", "--timeout", "2"], key: key)
            _ = await status?.waitForExit()
            let lines = status?.output.split(separator: "\n") ?? []
            return [firstURL, secondURL].allSatisfy { url in
                lines.contains { $0.hasPrefix("intake") && $0.contains(url) && $0.hasSuffix("ready") }
            }
        }
        #expect(listed, "both replicas are listed as ready")

        second.terminate()
        #expect(await second.waitForExit() != nil)
        let status = try await suite.start("shouwang", ["status", "--timeout", "2"], key: key)
        _ = await status.waitForExit()
        #expect(status.output.contains(firstURL))
        #expect(!status.output.contains(secondURL), "a replica that stopped is no longer listed as running:\n\(status.output)")
        #expect(status.output.contains("1 replica(s) stopped or unseen"))
    }
}
