import Models
import Testing

@testable import Outreach

/// A record's open/closed lifecycle and the closing form, without I/O.
@Suite struct ResidentLifecycleTests {
    @Test func anOpenRecordClosesOnceAndReopensOnceAndOnlyAnOpenOneIsEdited() throws {
        var lifecycle = ResidentLifecycle(status: .active)
        try lifecycle.requireEditable()
        try lifecycle.close()
        #expect(lifecycle.status == .closed)
        #expect(throws: Refusal.self) { try lifecycle.requireEditable() }
        #expect(throws: Refusal.self) { try lifecycle.close() }
        try lifecycle.reopen()
        #expect(lifecycle.status == .active)
        #expect(throws: Refusal.self) { try lifecycle.reopen() }
    }

    @Test func closingNeedsAKnownReasonAndANoteForOther() throws {
        #expect(try ResidentClosureForm(reason: "moved-away", note: nil).validated().reason == .movedAway)
        #expect(throws: (any Error).self) { try ResidentClosureForm(reason: "other", note: nil).validated() }
        #expect(try ResidentClosureForm(reason: "other", note: "随子女去外地").validated().note == "随子女去外地")
        #expect(throws: (any Error).self) { try ResidentClosureForm(reason: "gone", note: nil).validated() }
    }
}
