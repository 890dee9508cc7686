import Bus
import EventBus
import Foundation
import Hummingbird
import HummingbirdTesting
import Intake
import Logging
import Prometheus
import ServiceKit
import TestSupport
import Testing

/// `/healthz`, `/readyz`, `/metrics` and problem+json, on a real database and bus.
@Suite struct OperationsRoutesTests {
    static let registry = Observability.bootstrap(logLevel: .warning)

    func withApplication(bus: BusEndpoints, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let database = try await TestDatabase.create()
        try await database.withClient { client in
            let configuration = ServiceConfiguration(database: database.url, bus: bus, httpPort: 0)
            let dependencies = ServiceDependencies(service: "intake", client: client, configuration: configuration, logger: .test)
            var description = IntakeService.description
            description.configure = { router, _ in
                router.get("/v1/fail") { _, _ -> String in
                    throw ProblemDetails.validation([.init(field: "mobile", message: "must be 11 digits starting with 1")])
                }
                router.get("/v1/crash") { _, _ -> String in throw CancellationError() }
                return []
            }
            let (router, _) = ServiceApplication.buildRouter(description, dependencies: dependencies, registry: Self.registry)
            try await Application(router: router, logger: .test).test(.router, body)
        }
    }

    @Test func healthzAndTrafficReadinessAnswerWhileTheBusIsDown() async throws {
        let (publish, subscribe, replay) = FreePort.busEndpoints()
        try await withApplication(bus: BusEndpoints(publish: publish, subscribe: subscribe, replay: replay)) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"alive\""))
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = String(buffer: response.body)
                #expect(body.contains("\"database\":\"ok\""))
                #expect(body.contains("\"ready\":false"))
            }
            // A balancer keeps sending traffic: requests are served, their events wait in the outbox.
            try await client.execute(uri: "/readyz?for=traffic", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"database":"ok"}"#, "it asks only the database")
            }
        }
    }

    @Test func readyzIsReadyWhenDatabaseAndBusAnswer() async throws {
        let database = try await TestDatabase.create()
        let bus = try TestBus.create(database)
        let endpoints = try await bus.client("intake")
        try await database.withClient { client in
            try await withRunningServices(bus.services(client: client).services) {
                try await withApplication(bus: endpoints) { client in
                    // The bus server binds in the background: ready once it answers, on a loaded
                    // machine perhaps a few seconds after start.
                    let body = Recorder<String>()
                    let ready = try await eventually(timeout: .seconds(20), every: .milliseconds(200)) {
                        try await client.execute(uri: "/readyz", method: .get) { response in
                            body.append(contentsOf: [String(buffer: response.body)])
                            return response.status == .ok
                        }
                    }
                    #expect(ready)
                    #expect(body.all.last == #"{"bus":"ok","database":"ok","ready":true}"#)
                }
            }
        }
    }

    @Test func metricsAreServedAsPrometheusText() async throws {
        let (publish, subscribe, replay) = FreePort.busEndpoints()
        try await withApplication(bus: BusEndpoints(publish: publish, subscribe: subscribe, replay: replay)) { client in
            try await client.execute(uri: "/healthz", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(String(buffer: response.body).contains("hb_requests"))
            }
        }
    }

    @Test func errorsAreProblemDetailsWithFieldsAndNoInternals() async throws {
        let (publish, subscribe, replay) = FreePort.busEndpoints()
        try await withApplication(bus: BusEndpoints(publish: publish, subscribe: subscribe, replay: replay)) { client in
            try await client.execute(uri: "/v1/fail", method: .get) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                #expect(problem.errors == [.init(field: "mobile", message: "must be 11 digits starting with 1")])
                #expect(problem.statusCode == 422)
            }
            try await client.execute(uri: "/v1/crash", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(!String(buffer: response.body).contains("CancellationError"))
            }
            try await client.execute(uri: "/v1/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
