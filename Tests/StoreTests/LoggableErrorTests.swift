import PostgresNIO
import Store
import TestSupport
import Testing

@Suite struct LoggableErrorTests {
    @Test func aConstraintViolationIsDescribedWithoutTheOffendingValue() async throws {
        let database = try await TestDatabase.create()
        let description = try await database.withClient { client -> String in
            try await client.query("CREATE TABLE people (id_number text UNIQUE)", logger: .test)
            try await client.query("INSERT INTO people VALUES ('320505196805121231')", logger: .test)
            do {
                try await client.query("INSERT INTO people VALUES ('320505196805121231')", logger: .test)
                return "no error"
            } catch {
                // PostgresNIO's own debug description quotes the value; ours must not.
                #expect(String(reflecting: error).contains("320505196805121231"))
                return LoggableError.describe(error)
            }
        }
        #expect(description.contains("sqlState=23505"))
        #expect(description.contains("people_id_number_key"))
        #expect(!description.contains("320505196805121231"))
    }
}
