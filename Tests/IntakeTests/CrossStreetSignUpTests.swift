import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// A volunteer of another street of the district who answers a street's call is that
/// street's to see and vet, as well as their own street's.
@Suite struct CrossStreetSignUpTests {
    @Test func theCallsStreetSeesAndVetsASignUpFromAnotherStreetOfTheDistrict() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await VolunteerTests.openCall(client)  // street 320505-001
            let signUp = try await client.send(
                .post, "/v1/recruitment-calls/\(call)/sign-ups", token: VolunteerTests.staff,
                json: Fixtures.signUp(sequence: 51, community: "320505-002-001"))
            #expect(signUp.status == .created)
            let id = signUp.json["id"]!.stringValue!
            let callers = IntakeHarness.token(.staff, "320505-001")
            let list = try await client.send(.get, "/v1/volunteers", token: callers)
            #expect(list.json["items"].arrayValue.compactMap { $0["id"]?.stringValue } == [id])
            #expect(try await client.send(.get, "/v1/volunteers/\(id)", token: callers).status == .ok)
            let vetted = try await client.send(
                .post, "/v1/volunteers/\(id)/vetting", token: callers, json: Body(["action": .string("verify")]))
            #expect(vetted.json["status"] == .string("verified"))
            // Their own street sees them too; a street with no part in it does not.
            let home = IntakeHarness.token(.staff, "320505-002")
            #expect(try await client.send(.get, "/v1/volunteers", token: home).json["items"].arrayValue.count == 1)
            let outsider = IntakeHarness.token(.staff, "320115-001")
            #expect(try await client.send(.get, "/v1/volunteers/\(id)", token: outsider).status == .notFound)
            #expect(try await client.send(.get, "/v1/volunteers", token: outsider).json["items"].arrayValue.isEmpty)
        }
    }
}
