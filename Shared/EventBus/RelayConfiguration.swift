import Store

/// How a stream's relay runs. Plain values; the defaults suit a city deployment.
public struct RelayConfiguration: Sendable {
    /// The producing service whose outbox rows this relay publishes (`intake`…).
    public var stream: String
    public var database: DatabaseURL
    /// The bus proxy's XSUB endpoint.
    public var publishEndpoint: String
    /// The key the relay publishes with (a publisher or service key of this stream).
    public var credentials: BusCredentials?
    /// Rows sequenced per statement; large batches are what make 50,000 events/s possible.
    public var batchSize: Int = 5000
    /// How often each topic's head is announced, so subscribers notice a lost tail.
    public var heartbeatInterval: Duration = .seconds(1)
    /// Fallback wake-up when a notification is missed.
    public var pollInterval: Duration = .milliseconds(250)
    /// How often a standby asks for the leader lock; bounds takeover time.
    public var leadershipRetryInterval: Duration = .milliseconds(500)
    /// With no database round trip completed for this long, the relay's connection is
    /// closed so leadership moves (a leader completes one at least every heartbeat).
    public var stallTimeout: Duration = .seconds(10)

    public init(stream: String, database: DatabaseURL, publishEndpoint: String, credentials: BusCredentials? = nil) {
        self.stream = stream
        self.database = database
        self.publishEndpoint = publishEndpoint
        self.credentials = credentials
    }

    /// The relay of `stream` on `bus`, with the bus's credentials.
    public init(stream: String, database: DatabaseURL, bus: BusEndpoints) {
        self.init(stream: stream, database: database, publishEndpoint: bus.publish, credentials: bus.credentials)
    }
}
