import Foundation
import Hummingbird
import Prometheus

extension Router {
    /// Adds `/healthz` (alive), `/readyz` (database and bus reachable) and `/metrics`
    /// (Prometheus text), the three endpoints every Shouwang process serves.
    ///
    /// `/readyz?for=traffic` is what balancers and Kubernetes readiness probes ask: 200 as
    /// long as the database answers (it checks nothing else, so it is cheap to ask often). A
    /// replica without the bus still serves every request — its events wait in the outbox —
    /// so a bus outage must not take every replica out of rotation at once; the full
    /// `/readyz` still says the bus is missing.
    ///
    /// While `draining` (a graceful shutdown's first seconds, see ``Drain``) both answer 503.
    public func addOperationsRoutes(
        service: String, readiness: ReadinessProbe, registry: PrometheusCollectorRegistry, draining: DrainSignal = DrainSignal()
    ) {
        get("/healthz") { _, _ in
            Self.json(["status": "alive", "service": service], status: .ok)
        }
        get("/readyz") { request, _ in
            if draining.isDraining {
                return Self.json(DrainingReport(), status: .serviceUnavailable)
            }
            if request.uri.queryParameters["for"] == "traffic" {
                // Asked every second or two by every balancer: one query, no bus handshake.
                let database = await readiness.checkDatabase()
                return Self.json(["database": database], status: database == "ok" ? .ok : .serviceUnavailable)
            }
            let report = await readiness.check()
            return Self.json(report, status: report.ready ? .ok : .serviceUnavailable)
        }
        get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// What `/readyz` says while the replica drains.
struct DrainingReport: Encodable {
    var ready = false
    var draining = true
}
