import Foundation
import Models
import TestSupport
import Testing

@testable import Intake

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

@Suite struct WorkOrderProgressTests {
    @Test func eventsMoveARequestForwardOnly() {
        var progress = WorkOrderProgress()
        let r1 = progress.advance(to: .assigned)
        #expect(r1)
        let r2 = progress.advance(to: .delivered)
        #expect(r2)
        let r3 = progress.advance(to: .assigned)
        #expect(!r3)  // a late event
        #expect(progress.status == .delivered)
        let r4 = progress.cancel()
        #expect(!r4)  // the goods are at the door
    }

    @Test func anUnassignedRequestCanStillBeAssigned() {
        var progress = WorkOrderProgress()
        let r5 = progress.advance(to: .unassigned)
        #expect(r5)
        let r6 = progress.advance(to: .assigned)
        #expect(r6)
    }

    @Test func closedRequestsTakeNoChanges() {
        var cancelled = WorkOrderProgress()
        let r7 = cancelled.cancel()
        #expect(r7)
        let r8 = cancelled.advance(to: .assigned)
        #expect(!r8)
        let r9 = cancelled.merge()
        #expect(!r9)
    }

    @Test func theTopicsIntakeFollows() {
        #expect(WorkOrderProgress.status(forTopic: "matching.request.assigned") == .assigned)
        #expect(WorkOrderProgress.status(forTopic: "supplies.dispatch.delivered") == .delivered)
        #expect(WorkOrderProgress.status(forTopic: "matching.shortage") == nil)
    }

    @Test func householdKeysIgnoreSpacingAndPunctuation() {
        let compound = AreaCodeFixture.compound
        #expect(HouseholdKey.make(compound: compound, address: "3幢 201室") == HouseholdKey.make(compound: compound, address: "3幢201室"))
        #expect(HouseholdKey.make(compound: compound, address: "3幢201室") != HouseholdKey.make(compound: compound, address: "3幢202室"))
    }
}

enum AreaCodeFixture {
    static let compound = AreaCode("320505-001-001-01")!
}

@Suite struct CheckinAnswerTests {
    @Test func theHandWrittenBatchAnswerDecodesToTheSameResults() throws {
        let results = [
            CheckinResult(index: 0, status: .accepted, reason: nil),
            CheckinResult(index: 1, status: .duplicate, reason: "tube TUBE-1 was already checked in"),
            CheckinResult(index: 2, status: .invalid, reason: "residentCode must be \"4–64\" letters\n\\ 居民码"),
        ]
        let answer = TestingRoutes.BatchAnswer(results)
        let decoded = try JSONDecoder().decode(TestingRoutes.BatchAnswer.self, from: Data(answer.json))
        #expect(decoded.results == results)
        #expect((decoded.accepted, decoded.duplicates, decoded.invalid) == (1, 1, 1))
    }

    @Test(arguments: ["TUBE-0001", "res-42", "ABCdef123"])
    func codesOfLettersDigitsAndDashesPass(_ code: String) {
        let input = CheckinInput(
            roundId: UUID(), siteId: UUID(), residentCode: code + "-r", tubeBarcode: code, sampleGroup: nil,
            scannedAt: Timestamp.format(Date()), operator: "op1", retest: nil)
        #expect((try? input.validated(index: 0).get()) != nil)
    }

    @Test(arguments: ["TUBE 0001", "管-000001", "ＴＵＢＥ-0001", "tube_0001", "é-000001"])
    func codesWithAnythingElseAreRefused(_ code: String) {
        let input = CheckinInput(
            roundId: UUID(), siteId: UUID(), residentCode: "RES-1", tubeBarcode: code, sampleGroup: nil,
            scannedAt: Timestamp.format(Date()), operator: "op1", retest: nil)
        guard case .failure(let problem) = input.validated(index: 0) else {
            Issue.record("\(code) was accepted")
            return
        }
        #expect(problem.fields.map(\.field) == ["tubeBarcode"])
    }
}
