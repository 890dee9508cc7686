import Foundation
import Models
import PostgresNIO
import ServiceKit
import Store
import TestSupport
import Testing

@testable import Console

@Suite struct AccountTests {
    @Test func anAccountFormListsEveryMistakeAtOnce() {
        #expect(throws: AccountFormError.self) {
            try AccountForm(username: "x", role: "volunteer", area: "nowhere", password: "short").validated()
        }
        do {
            _ = try AccountForm(username: "x", role: "volunteer", area: "nowhere", password: "short").validated()
        } catch {
            #expect(error.problems.count == 4)
        }
        #expect(throws: AccountFormError.self) {
            try AccountForm(username: "staff-1", role: "staff", area: nil, password: "long enough pw").validated()
        }
        let operatorAccount = try? AccountForm(username: "ops", role: "operator", area: nil, password: "long enough pw").validated()
        #expect(operatorAccount?.area == nil)
    }

    @Test func signInNeedsTheRightPasswordAndADisabledAccountEndsItsSessions() async throws {
        let database = try await TestDatabase.create(migrations: CoreMigrations.all + ConsoleService.description.migrations)
        try await database.withClient { client in
            let accounts = AccountStore(client: client, logger: .test)
            let sessions = SessionStore(client: client, logger: .test)
            let form = try AccountForm(username: "staff-0042", role: "staff", area: "320505-004", password: "correct horse battery")
                .validated()
            let account = try await accounts.add(form)
            await #expect(throws: AccountFormError.self) { try await accounts.add(form) }

            #expect(try await accounts.signIn(username: "staff-0042", password: "wrong horse battery") == nil)
            #expect(try await accounts.signIn(username: "nobody", password: "correct horse battery") == nil)
            let signedIn = try #require(try await accounts.signIn(username: "staff-0042", password: "correct horse battery"))
            #expect(signedIn == account)
            #expect(signedIn.access().area == AreaCode("320505-004"))
            #expect(signedIn.access().role == .staff)

            let (token, session) = try await sessions.open(for: signedIn)
            #expect(try await sessions.session(token: token)?.account == account)
            #expect(try await sessions.session(token: token)?.csrf == session.csrf)
            #expect(try await sessions.session(token: token + "x") == nil)
            #expect(try await sessions.session(token: token, now: Date().addingTimeInterval(SessionStore.lifetime + 60)) == nil)
            // Only the token's digest is stored: the table does not sign anyone in.
            let stored = try await client.query(
                "SELECT count(*) FROM console_sessions WHERE token_hash = \(Data(token.utf8))", logger: .test
            )
            .decode(Int.self).collectAll().first
            #expect(stored == 0)

            #expect(try await accounts.disable(username: "staff-0042"))
            #expect(try await sessions.session(token: token) == nil)
            #expect(try await accounts.signIn(username: "staff-0042", password: "correct horse battery") == nil)
        }
    }
}
