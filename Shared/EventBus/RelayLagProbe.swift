import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle
import Store

/// Exports `shouwang_relay_lag_seconds{stream}`: the age of the stream's oldest committed
/// row still without a sequence number, read from the pooled client every `interval`.
///
/// It runs beside the relay, not inside it, so a stalled leader is still seen behind from
/// every replica (the example alert fires at 30 s).
public struct RelayLagProbe: Service {
    let stream: String
    let client: PostgresClient
    let interval: Duration
    let logger: Logger

    public init(stream: String, client: PostgresClient, interval: Duration = .seconds(5), logger: Logger) {
        self.stream = stream
        self.client = client
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        let lag = Gauge(label: "shouwang_relay_lag_seconds", dimensions: [("stream", stream)])
        try await PeriodicWork("measuring the \(stream) relay's lag", every: interval, logger: logger) { [stream, client, logger] in
            lag.record(try await RelayStatus.lagSeconds(stream: stream, client: client, logger: logger))
        }.run()
    }
}
