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
