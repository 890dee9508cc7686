import ArgumentParser
import Foundation
import Logging
import ServiceKit
import Testing

@Suite struct ServiceConfigurationTests {
    @Test func withoutEnvironmentTheDocumentedDefaultsApply() throws {
        let configuration = try ServiceConfiguration.fromEnvironment(defaultHTTPPort: 8081, environment: [:])
        #expect(configuration.database.description == "postgres://shouwang@127.0.0.1:5432/shouwang")
        #expect(configuration.bus.publish == "tcp://127.0.0.1:5550")
        #expect(configuration.bus.subscribe == "tcp://127.0.0.1:5551")
        #expect(configuration.bus.replay == "tcp://127.0.0.1:5552")
        #expect(configuration.httpPort == 8081)
    }

    @Test func environmentVariablesOverrideTheDefaults() throws {
        let configuration = try ServiceConfiguration.fromEnvironment(
            defaultHTTPPort: 8081,
            environment: [
                "SHOUWANG_DATABASE_URL": "postgres://ops@db:6000/city",
                "SHOUWANG_BUS_PUBLISH": "tcp://bus:1", "SHOUWANG_BUS_SUBSCRIBE": "tcp://bus:2", "SHOUWANG_BUS_REPLAY": "tcp://bus:3",
                "SHOUWANG_HTTP_PORT": "9000", "SHOUWANG_LOG_LEVEL": "debug",
            ])
        #expect(configuration.database.host == "db")
        #expect(configuration.bus.replay == "tcp://bus:3")
        #expect(configuration.httpPort == 9000)
        #expect(configuration.logLevel == .debug)
    }

    @Test func badValuesAreRefusedNamingTheVariable() {
        do {
            _ = try ServiceConfiguration.fromEnvironment(defaultHTTPPort: 1, environment: ["SHOUWANG_HTTP_PORT": "eighty"])
            Issue.record("accepted a port that is not a number")
        } catch {
            #expect("\(error)".contains("SHOUWANG_HTTP_PORT"))
        }
    }

    @Test func flagsWinOverTheEnvironment() throws {
        let options = try ServiceOptions.parse(["--port", "9100", "--bus-replay", "tcp://elsewhere:7", "--log-level", "warning"])
        let configuration = try options.resolve(defaultHTTPPort: 8081)
        #expect(configuration.httpPort == 9100)
        #expect(configuration.bus.replay == "tcp://elsewhere:7")
        #expect(configuration.logLevel == .warning)
    }
}
