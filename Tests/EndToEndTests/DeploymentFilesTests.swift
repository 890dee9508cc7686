import Foundation
import TestSupport
import Testing

/// No Docker engine runs here, so the compose file is checked by Debian's docker-compose
/// parser (installed by Deploy/local/test.sh): a broken file fails CI.
@Suite struct DeploymentFilesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func composeConfig(_ file: URL) throws -> (status: Int32, errors: String) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/docker-compose") else {
            throw TestSetupError("docker-compose is not installed: Deploy/local/test.sh installs it")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/docker-compose")
        process.arguments = ["-f", file.path, "config", "-q"]
        process.currentDirectoryURL = root
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func theComposeFileIsValid() throws {
        let (status, errors) = try Self.composeConfig(Self.root.appendingPathComponent("docker-compose.yml"))
        #expect(status == 0, "\(errors)")
    }

    @Test func theCheckerRejectsABrokenComposeFile() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        let broken = Self.root.appendingPathComponent(".local/broken-compose-\(UUID().uuidString).yml")
        try FileManager.default.createDirectory(at: broken.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.replacingOccurrences(of: "condition: service_healthy", with: "condition: [not, a, condition]").write(to: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: broken) }
        #expect(try Self.composeConfig(broken).status != 0)
    }

    @Test func everyServiceRunsTheSameEnvironmentVariablesAsTheArchitecture() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        for variable in ["SHOUWANG_DATABASE_URL", "SHOUWANG_BUS_PUBLISH", "SHOUWANG_BUS_SUBSCRIBE", "SHOUWANG_BUS_REPLAY", "SHOUWANG_HTTP_PORT"] {
            #expect(text.contains(variable))
        }
        for service in ["postgres:", "bus:", "intake:", "matching:", "supplies:", "outreach:"] {
            #expect(text.contains("\n  \(service)"))
        }
        let dockerfile = try String(contentsOf: Self.root.appendingPathComponent("Deploy/docker/Dockerfile"), encoding: .utf8)
        #expect(dockerfile.contains("libzmq5"))
    }
}
