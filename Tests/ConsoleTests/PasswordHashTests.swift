import Foundation
import Testing

@testable import Console

@Suite struct PasswordHashTests {
    @Test func aHashMatchesItsOwnPasswordOnlyAndSurvivesStorage() throws {
        let hash = try PasswordHash.make("blood-pressure-pills", logRounds: 10)
        #expect(hash.matches("blood-pressure-pills"))
        #expect(!hash.matches("blood-pressure-pill"))
        #expect(!hash.matches(""))
        let stored = try #require(PasswordHash(stored: hash.stored))
        #expect(stored == hash)
        #expect(stored.matches("blood-pressure-pills"))
        #expect(hash.stored.hasPrefix("scrypt$10$8$1$"))
        #expect(!hash.stored.contains("blood"))
    }

    @Test func twoHashesOfOnePasswordDifferBySalt() throws {
        let first = try PasswordHash.make("same password", logRounds: 10)
        let second = try PasswordHash.make("same password", logRounds: 10)
        #expect(first.salt != second.salt)
        #expect(first.key != second.key)
    }

    @Test(arguments: [
        "", "bcrypt$10$8$1$AAAA$BBBB", "scrypt$30$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA", "scrypt$15$8$1$!!$??", "scrypt$15$8$1$AAAA",
    ])
    func damagedStoredHashesAreRefused(_ text: String) {
        #expect(PasswordHash(stored: text) == nil)
    }
}
