import Store

/// How a stream's relay runs. Plain values; the defaults suit a city deployment.
public struct RelayConfiguration: Sendable {
    /// The producing service whose outbox rows this relay publishes (`intake`…).
    public var stream: String
    public var database: DatabaseURL
    /// The bus proxy's XSUB endpoint.
    public var publishEndpoint: String
    /// Rows sequenced per statement; large batches are what make 50,000 events/s possible.
    public var batchSize: Int = 5000
    /// How often each topic's head is announced, so subscribers notice a lost tail.
    public var heartbeatInterval: Duration = .seconds(1)
    /// Fallback wake-up when a notification is missed.
    public var pollInterval: Duration = .milliseconds(250)
    /// How often a standby asks for the leader lock; bounds takeover time.
    public var leadershipRetryInterval: Duration = .milliseconds(500)

    public init(stream: String, database: DatabaseURL, publishEndpoint: String) {
        self.stream = stream
        self.database = database
        self.publishEndpoint = publishEndpoint
    }
}
