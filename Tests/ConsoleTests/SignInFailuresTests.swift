import Foundation
import Testing

@testable import Console

@Suite struct SignInFailuresTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func fiveFailuresStopOneNameFromOneAddressAndNobodyElse() {
        let failures = SignInFailures()
        for _ in 0..<5 {
            #expect(failures.allows(username: "staff-0042", address: "10.0.0.1", now: now))
            failures.failed(username: "staff-0042", address: "10.0.0.1", now: now)
        }
        #expect(!failures.allows(username: "staff-0042", address: "10.0.0.1", now: now))
        #expect(!failures.allows(username: "STAFF-0042", address: "10.0.0.1", now: now), "names are compared without case")
        #expect(failures.allows(username: "staff-0042", address: "10.0.0.2", now: now), "the same name from elsewhere")
        #expect(failures.allows(username: "staff-0043", address: "10.0.0.1", now: now), "a colleague behind the same office address")
        #expect(failures.allows(username: "staff-0042", address: "10.0.0.1", now: now.addingTimeInterval(15 * 60 + 1)), "after the window")
    }

    @Test func fiftyFailuresFromAnywhereStopTheNameAndARightPasswordForgivesItsOwnAddress() {
        let failures = SignInFailures()
        for index in 0..<50 { failures.failed(username: "ops-1", address: "10.1.\(index / 200).\(index % 200)", now: now) }
        #expect(!failures.allows(username: "ops-1", address: "10.9.9.9", now: now))
        let other = SignInFailures()
        for _ in 0..<4 { other.failed(username: "ops-1", address: "10.0.0.1", now: now) }
        other.succeeded(username: "ops-1", address: "10.0.0.1")
        for _ in 0..<4 { other.failed(username: "ops-1", address: "10.0.0.1", now: now) }
        #expect(other.allows(username: "ops-1", address: "10.0.0.1", now: now), "the typo before the right password is forgiven")
    }
}
