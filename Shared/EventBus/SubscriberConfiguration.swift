/// What a subscriber listens to and where it starts. Plain values.
public struct SubscriberConfiguration: Sendable {
    public var endpoints: BusEndpoints
    /// Topic prefix, ending with a dot (`intake.`); empty for every topic.
    public var prefix: String
    public var start: SubscriberStateMachine.StartPosition
    /// Events per replay page.
    public var pageLimit: Int = 1000
    /// A replay unanswered this long is sent again.
    public var replayTimeoutMilliseconds: Int64 = 3000

    public init(endpoints: BusEndpoints, prefix: String, start: SubscriberStateMachine.StartPosition) {
        self.endpoints = endpoints
        self.prefix = prefix
        self.start = start
    }
}
