import Logging
import PostgresNIO

/// What a service's routes and consumers are given: the pooled database client, the
/// configuration and a logger. Passed explicitly; nothing is global.
public struct ServiceDependencies: Sendable {
    public let client: PostgresClient
    public let configuration: ServiceConfiguration
    public let logger: Logger

    public init(client: PostgresClient, configuration: ServiceConfiguration, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }
}
