import Foundation
import Logging
import PostgresNIO

/// What a service's routes and consumers are given: the pooled database client, the
/// configuration, token checks, idempotent writes and a logger. Passed explicitly;
/// nothing is global.
public struct ServiceDependencies: Sendable {
    public let service: String
    public let client: PostgresClient
    public let configuration: ServiceConfiguration
    public let tokens: TokenSigner
    public let logger: Logger

    public init(service: String, client: PostgresClient, configuration: ServiceConfiguration, logger: Logger) {
        self.service = service
        self.client = client
        self.configuration = configuration
        self.logger = logger
        if let secret = configuration.tokenSecret {
            tokens = TokenSigner(secret: secret)
        } else {
            // Without a shared secret no token from elsewhere verifies: every protected route answers 401.
            logger.warning("SHOUWANG_TOKEN_SECRET is not set: protected endpoints will refuse every token")
            tokens = TokenSigner(secret: UUID().uuidString + UUID().uuidString)
        }
    }

    /// Writes that honour `Idempotency-Key`.
    public var writes: IdempotentWriter {
        IdempotentWriter(service: service, client: client, logger: logger)
    }
}
