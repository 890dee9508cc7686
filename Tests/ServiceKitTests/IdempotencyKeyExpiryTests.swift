import PostgresNIO
import ServiceKit
import Store
import TestSupport
import Testing

@Suite struct IdempotencyKeyExpiryTests {
    @Test func keysOlderThanTheRetentionAreForgottenOthersAndOtherServicesKept() async throws {
        let database = try await TestDatabase.create()
        let removed = try await database.withClient { client -> Int in
            try await client.query(
                """
                INSERT INTO idempotency_keys (service, key, request_hash, created_at) VALUES
                  ('intake', 'old', 'h', now() - interval '2 days'),
                  ('intake', 'new', 'h', now()),
                  ('supplies', 'old', 'h', now() - interval '2 days')
                """,
                logger: .test
            )
            return try await IdempotencyKeyExpiry(service: "intake", client: client, logger: .test).expire()
        }
        #expect(removed == 1)
        #expect(
            try await database.scalar(
                "SELECT string_agg(service || '/' || key, ',' ORDER BY service, key) FROM idempotency_keys", as: String.self)
                == "intake/new,supplies/old")
    }
}
