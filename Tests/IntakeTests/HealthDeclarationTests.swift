import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// The fitness rule, as a value: nobody with a red or yellow code, symptoms or a fever is
/// put on duty, and a volunteer on duty who declares one is taken off it.
@Suite struct HealthPolicyTests {
    static let fit = HealthDeclaration(symptoms: false, code: .green, temperature: 36.5)

    @Test(arguments: [
        (HealthDeclaration(symptoms: false, code: .red, temperature: 36.5), "red"),
        (HealthDeclaration(symptoms: false, code: .yellow, temperature: 36.5), "yellow"),
        (HealthDeclaration(symptoms: true, code: .green, temperature: 36.5), "symptoms"),
        (HealthDeclaration(symptoms: false, code: .green, temperature: 37.3), "37.3"),
        (HealthDeclaration(symptoms: false, code: .green, temperature: nil), "no temperature"),
        (HealthDeclaration(symptoms: false, code: nil, temperature: 36.5), "no health code"),
    ])
    func anUnfitDeclarationSaysWhy(_ declaration: HealthDeclaration, _ words: String) {
        #expect(declaration.unfitReason?.contains(words) == true)
    }

    @Test func aGreenCodeWithoutSymptomsBelowTheThresholdIsFit() {
        #expect(Self.fit.unfitReason == nil)
        #expect(HealthDeclaration(symptoms: false, code: .green, temperature: 37.2).unfitReason == nil)
    }

    @Test func theStoredFormReadsBackAndWhatIsMissingReadsAsUnfit() {
        #expect(HealthDeclaration(stored: Self.fit.json) == Self.fit)
        #expect(HealthDeclaration(stored: .object([:])).unfitReason != nil)
    }

    @Test func verifyingAndReinstatingAskTheDeclaration() throws {
        let fever = HealthDeclaration(symptoms: false, code: .green, temperature: 38.1)
        var pending = VolunteerVetting()
        #expect(throws: Refusal.self) { try pending.apply(.verify, reason: nil, declaration: fever) }
        #expect(pending.status == .pending)
        try pending.apply(.verify, reason: nil, declaration: Self.fit)
        #expect(pending.status == .verified)
        var suspended = VolunteerVetting(status: .suspended)
        #expect(throws: Refusal.self) { try suspended.apply(.reinstate, reason: nil, declaration: fever) }
        try suspended.apply(.reinstate, reason: nil, declaration: Self.fit)
        #expect(suspended.status == .verified)
    }

    @Test func aNewDeclarationTakesAnUnfitVolunteerOffDutyAndSendsARejectedOneBackToVetting() throws {
        let red = HealthDeclaration(symptoms: false, code: .red, temperature: 36.5)
        var verified = VolunteerVetting(status: .verified, trained: true, insured: true)
        #expect(try verified.declare(Self.fit) == .unchanged)
        guard case .suspended(let reason) = try verified.declare(red) else {
            Issue.record("not suspended")
            return
        }
        #expect(reason.contains("red") && verified.status == .suspended)
        var rejected = VolunteerVetting(status: .rejected)
        #expect(try rejected.declare(Self.fit) == .awaitingVetting && rejected.status == .pending)
        var withdrawn = VolunteerVetting(status: .withdrawn)
        #expect(throws: Refusal.self) { try withdrawn.declare(Self.fit) }
    }
}

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
