import Foundation
import Testing

@testable import ServiceKit

@Suite struct EnvironmentSecretTests {
    @Test func aSecretComesFromItsVariableOrTheFileItsFileVariableNames() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID())").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("s3cret\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try EnvironmentSecret.value("X", in: ["X_FILE": path]) == "s3cret")
        #expect(try EnvironmentSecret.value("X", in: ["X": "direct", "X_FILE": path]) == "direct")
        #expect(try EnvironmentSecret.value("X", in: ["X": "", "X_FILE": path]) == "s3cret", "empty counts as unset")
        #expect(try EnvironmentSecret.value("X", in: [:]) == nil)
        #expect(throws: ConfigurationError.self) { try EnvironmentSecret.value("X", in: ["X_FILE": path + ".missing"]) }
        let configuration = try ServiceConfiguration.fromEnvironment(
            defaultHTTPPort: 1,
            environment: [
                "SHOUWANG_DATABASE_URL_FILE": path, "SHOUWANG_TOKEN_SECRET_FILE": path, "SHOUWANG_DATABASE_URL": "postgres://a@b:1/c",
            ]
        )
        #expect(configuration.tokenSecret == "s3cret")
        #expect(configuration.database.host == "b")
    }
}
