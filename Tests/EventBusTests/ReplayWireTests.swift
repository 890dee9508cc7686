import Foundation
import Models
import Testing

@testable import EventBus

@Suite struct ReplayWireTests {
    @Test func requestsRoundTripInBothForms() throws {
        let topic = ReplayRequest(.topic("intake.request.created", after: 41), limit: 1000)
        #expect(try ReplayRequest.decode(topic.encoded()) == topic)
        let prefix = ReplayRequest(.prefix("intake.", after: ["intake.request.created": 41, "intake.volunteer.registered": 2]), limit: 10)
        #expect(try ReplayRequest.decode(prefix.encoded()) == prefix)
    }

    @Test func theArchitecturePagesExampleParses() throws {
        let frame = Array(#"{"prefix": "intake.", "after": {"intake.request.created": 41}}"#.utf8)
        #expect(try ReplayRequest.decode(frame) == ReplayRequest(.prefix("intake.", after: ["intake.request.created": 41]), limit: 1000))
    }

    @Test func limitsAreBounded() {
        #expect(ReplayRequest(.topic("a.b.c", after: 0), limit: 1_000_000).limit == ReplayRequest.maximumLimit)
        #expect(ReplayRequest(.topic("a.b.c", after: 0), limit: -5).limit == 0)
    }

    @Test func malformedRequestsSayWhatIsWrong() {
        #expect(throws: ReplayError.self) { try ReplayRequest.decode(Array("[1]".utf8)) }
        #expect(throws: ReplayError.self) { try ReplayRequest.decode(Array(#"{"after": 3}"#.utf8)) }
    }

    @Test func aPageDecodesEventsAndHeadsAndAnErrorFrameFails() throws {
        let stored = StoredEvent(
            (UUID(), "intake.request.created", 3, "intake", 1, 1_764_000_000_123, "r-1", "320505", nil, #"{"category":"medicine"}"#))
        let page = try ReplayPage.decode(stored.frames + [ReplayPage.endFrame(heads: ["intake.request.created": 9])])
        #expect(page.heads == ["intake.request.created": 9])
        #expect(page.events.map(\.seq) == [3])
        #expect(page.events.first?.data["category"]?.stringValue == "medicine")
        #expect(throws: ReplayError.self) { try ReplayPage.decode([ReplayPage.errorFrame("bad")]) }
        #expect(throws: ReplayError.self) { try ReplayPage.decode([]) }
    }
}
