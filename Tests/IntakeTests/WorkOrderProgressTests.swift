import Foundation
import Models
import TestSupport
import Testing

@testable import Intake

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
