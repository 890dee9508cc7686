import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// The public sign-up answers alike whether or not an ID number is registered.
@Suite struct SignUpDisclosureTests {
    @Test func aRepeatedPublicSignUpIsAnsweredLikeANewOneAndLeftInTheExistingHistory() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await VolunteerTests.openCall(client)
            let new = try await client.send(.post, "/v1/recruitment-calls/\(call)/sign-ups", json: Fixtures.signUp(sequence: 44))
            let repeated = try await client.send(.post, "/v1/recruitment-calls/\(call)/sign-ups", json: Fixtures.signUp(sequence: 44))
            #expect(new.status == .accepted && repeated.status == .accepted)
            #expect(Array(buffer: new.body) == Array(buffer: repeated.body))
            #expect(repeated.json["id"] == nil && repeated.json["related"] == nil)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM volunteers") == 1)
        #expect(try await harness.count("SELECT count(*)::int FROM volunteer_history WHERE action = 'sign-up-repeated'") == 1)
    }
}
