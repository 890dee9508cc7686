import Foundation
import Models
import Testing

@Suite struct TopicTests {
    @Test(arguments: ["intake.request.created", "matching.task.completed", "supplies.stock.low", "test.probe.p0", "a.b-c.d"])
    func wellFormedTopicsAreAccepted(_ name: String) throws {
        #expect(try Topic(name).rawValue == name)
    }

    @Test(arguments: [
        "intake", "intake.request", "Intake.request.created", "intake..created", "intake.request.created.", "intake.请求.created",
    ])
    func malformedTopicsAreRefusedWithAReason(_ name: String) {
        #expect(throws: TopicError.self) { try Topic(name) }
    }

    @Test func theStreamIsTheFirstSegment() {
        #expect(Topic("outreach.need.identified").stream == "outreach")
    }
}
