import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// The same rule through the API: verification refused with the reason, a new declaration
/// kept as history, a fever declared on duty taking the volunteer off it.
@Suite struct HealthDeclarationTests {
    static let staff = IntakeHarness.token(.staff, "320505-001")

    static func declaration(code: String = "green", temperature: Double = 36.5, symptoms: Bool = false) -> Body {
        Body(["symptoms": .bool(symptoms), "healthCode": .string(code), "temperature": .number(temperature), "vaccinated": .bool(true)])
    }

    @Test func aRedCodeCannotBeVerifiedUntilTheVolunteerDeclaresAgain() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await VolunteerTests.openCall(client)
            var form = Fixtures.signUp(sequence: 41).value.objectValue
            form["health"] = Self.declaration(code: "red").value
            let id = try #require(
                try await client.send(.post, "/v1/recruitment-calls/\(call)/sign-ups", token: Self.staff, json: Body(form)).json["id"]?
                    .stringValue)
            let refused = try await client.send(
                .post, "/v1/volunteers/\(id)/vetting", token: Self.staff, json: Body(["action": .string("verify")]))
            #expect(refused.status == .conflict)
            #expect(refused.json["detail"]?.stringValue?.contains("health code is red") == true)

            // The volunteer declares again from their own phone; someone else's phone cannot.
            let own = IntakeHarness.token(.volunteer, "320505-001-001", subject: id)
            let other = IntakeHarness.token(.volunteer, "320505-001-001", subject: UUID().uuidString.lowercased())
            #expect(
                try await client.send(.post, "/v1/volunteers/\(id)/health-declarations", token: other, json: Self.declaration()).status
                    == .forbidden)
            let declared = try await client.send(.post, "/v1/volunteers/\(id)/health-declarations", token: own, json: Self.declaration())
            #expect(declared.status == .created)
            #expect(declared.json["fit"] == .bool(true) && declared.json["status"] == .string("pending"))
            let verified = try await client.send(
                .post, "/v1/volunteers/\(id)/vetting", token: Self.staff, json: Body(["action": .string("verify")]))
            #expect(verified.json["status"] == .string("verified"))

            let detail = try await client.send(.get, "/v1/volunteers/\(id)", token: Self.staff)
            #expect(detail.json["declarations"].arrayValue.map { $0["fit"] } == [.bool(false), .bool(true)])
            #expect(detail.json["volunteer"]?["health"]?["healthCode"] == .string("green"))
        }
    }

    @Test func aFeverDeclaredOnDutyTakesTheVolunteerOffItAndReinstatingWaitsForAFitDeclaration() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await VolunteerTests.openCall(client)
            let id = try #require(
                try await client.send(
                    .post, "/v1/recruitment-calls/\(call)/sign-ups", token: Self.staff, json: Fixtures.signUp(sequence: 42)
                ).json["id"]?.stringValue
            )
            for action in ["verify", "record-training", "record-insurance"] {
                #expect(
                    try await client.send(.post, "/v1/volunteers/\(id)/vetting", token: Self.staff, json: Body(["action": .string(action)]))
                        .status == .ok)
            }
            let fever = try await client.send(
                .post, "/v1/volunteers/\(id)/health-declarations", token: Self.staff, json: Self.declaration(temperature: 37.8))
            #expect(fever.json["status"] == .string("suspended") && fever.json["eligible"] == .bool(false))
            #expect(fever.json["unfitReason"]?.stringValue?.contains("37.8") == true)
            let early = try await client.send(
                .post, "/v1/volunteers/\(id)/vetting", token: Self.staff, json: Body(["action": .string("reinstate")]))
            #expect(early.status == .conflict)
            _ = try await client.send(
                .post, "/v1/volunteers/\(id)/health-declarations", token: Self.staff, json: Self.declaration(temperature: 36.6))
            let back = try await client.send(
                .post, "/v1/volunteers/\(id)/vetting", token: Self.staff, json: Body(["action": .string("reinstate")]))
            #expect(back.json["eligible"] == .bool(true))
        }
        // Matching hears the suspension like any other and withdraws what the volunteer holds.
        let suspended = try await harness.events("intake.volunteer.suspended")
        #expect(suspended.count == 1 && suspended.first?["eligible"] == .bool(false))
        #expect(!"\(suspended)".contains("37.8"))
    }

    @Test func listPagesCarryNoHealthDeclarations() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await VolunteerTests.openCall(client)
            _ = try await client.send(.post, "/v1/recruitment-calls/\(call)/sign-ups", json: Fixtures.signUp(sequence: 43))
            for role in [AccessRole.staff, .dispatcher] {
                let list = try await client.send(.get, "/v1/volunteers", token: IntakeHarness.token(role, "320505-001"))
                #expect(list.json["items"].arrayValue.count == 1)
                #expect(list.json["items"].arrayValue.allSatisfy { $0["health"] == nil })
                #expect(!String(buffer: list.body).contains("healthCode"))
            }
        }
    }
}
