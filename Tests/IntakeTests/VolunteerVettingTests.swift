import Foundation
import Models
import TestSupport
import Testing

@testable import Intake

enum AreaCodeFixture {
    static let compound = AreaCode("320505-001-001-01")!
}

private let fit = HealthDeclaration(symptoms: false, code: .green, temperature: 36.5)

@Suite struct VolunteerVettingTests {
    @Test func eligibilityNeedsVerificationTrainingAndInsurance() throws {
        var vetting = VolunteerVetting()
        try vetting.apply(.recordTraining, reason: nil, declaration: fit)
        try vetting.apply(.recordInsurance, reason: nil, declaration: fit)
        #expect(!vetting.isEligible)
        try vetting.apply(.verify, reason: nil, declaration: fit)
        #expect(vetting.isEligible)
        try vetting.apply(.suspend, reason: "symptoms", declaration: fit)
        #expect(!vetting.isEligible)
    }

    @Test(arguments: [
        (VolunteerStatus.pending, VettingAction.reinstate), (.pending, .suspend), (.verified, .verify), (.verified, .reject),
        (.withdrawn, .withdraw), (.withdrawn, .recordTraining), (.rejected, .suspend),
    ])
    func forbiddenTransitionsAreRefused(_ status: VolunteerStatus, _ action: VettingAction) {
        var vetting = VolunteerVetting(status: status)
        #expect(throws: Refusal.self) { try vetting.apply(action, reason: "because", declaration: fit) }
        #expect(vetting.status == status)
    }

    @Test func rejectingAndSuspendingNeedAReason() {
        var pending = VolunteerVetting()
        #expect(throws: Refusal.self) { try pending.apply(.reject, reason: nil, declaration: fit) }
        var verified = VolunteerVetting(status: .verified)
        #expect(throws: Refusal.self) { try verified.apply(.suspend, reason: nil, declaration: fit) }
    }
}
