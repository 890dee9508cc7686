import Store
import Testing

@Suite struct DatabaseURLTests {
    @Test func theDocumentedDefaultParses() throws {
        let url = try DatabaseURL("postgres://shouwang@127.0.0.1:5432/shouwang")
        #expect(url.host == "127.0.0.1")
        #expect(url.port == 5432)
        #expect(url.username == "shouwang")
        #expect(url.password == nil)
        #expect(url.database == "shouwang")
        #expect(!url.requireTLS)
    }

    @Test func passwordsAreDecodedAndNeverPrinted() throws {
        let url = try DatabaseURL("postgresql://ops:s%40cret@db.internal:6432/city?sslmode=require")
        #expect(url.password == "s@cret")
        #expect(url.requireTLS)
        #expect(!url.description.contains("cret"))
        #expect(url.description == "postgres://ops:***@db.internal:6432/city")
    }

    @Test func badURLsSayWhatIsExpectedWithoutLeakingThePassword() {
        #expect(throws: StoreError.self) { try DatabaseURL("mysql://a@b/c") }
        do {
            _ = try DatabaseURL("http://user:topsecret@host/db")
            Issue.record("an http URL was accepted")
        } catch {
            #expect(error.description.contains("postgres://"))
            #expect(!error.description.contains("topsecret"))
        }
        #expect(throws: StoreError.self) { try DatabaseURL("postgres://127.0.0.1/db") }
    }
}
