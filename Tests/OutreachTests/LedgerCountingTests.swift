import Foundation
import Models
import Testing

@testable import Outreach

/// What one event of another stream adds to the street's daily ledger, without I/O.
@Suite struct LedgerCountingTests {
    static func event(_ topic: String, area: String?, at: String = "2026-11-30T17:30:00Z", _ data: [String: JSONValue] = [:])
        -> EventEnvelope
    {
        EventEnvelope(
            id: UUID(), topic: Topic(stringLiteral: topic), seq: 1, stream: String(topic.prefix { $0 != "." }),
            occurredAt: Timestamp.parse(at)!, key: "k", area: area, data: .object(data))
    }

    @Test func eachTopicCountsItsMeasureInTheCommunityOnTheChinaStandardTimeDay() {
        let created = LedgerCounting.entry(for: Self.event("intake.request.created", area: "320505-004-012-03"))
        #expect(created == LedgerEntry(measure: .requestsFiled, community: AreaCode("320505-004-012")!, day: "2026-12-01", amount: 1))
        #expect(
            LedgerCounting.entry(for: Self.event("intake.checkins.recorded", area: "320505-004-012", ["count": .number(250)]))?.amount
                == 250)
        #expect(
            LedgerCounting.entry(for: Self.event("matching.shift.worked", area: "320505-004-012", ["hours": .number(3.5)]))
                == LedgerEntry(measure: .shiftHours, community: AreaCode("320505-004-012")!, day: "2026-12-01", amount: 3.5))
        #expect(
            LedgerCounting.entry(for: Self.event("matching.task.completed", area: "320505-004-012-03", ["hours": .number(1)]))?.measure
                == .taskHours)
        #expect(
            LedgerCounting.entry(for: Self.event("supplies.dispatch.delivered", area: "320505-004", at: "2026-11-30T15:59:59Z"))
                == LedgerEntry(measure: .deliveries, community: AreaCode("320505-004")!, day: "2026-11-30", amount: 1),
            "a street depot's delivery counts for the street, on the day it was in China")
    }

    @Test func aRequestIsDoneOnceWhenItFirstReachesADoneStatus() {
        func changed(_ previous: String, _ status: String) -> LedgerEntry? {
            LedgerCounting.entry(
                for: Self.event(
                    "intake.request.status-changed", area: "320505-004-012-03",
                    ["previousStatus": .string(previous), "status": .string(status)]))
        }
        #expect(changed("assigned", "delivered")?.measure == .requestsDone)
        #expect(changed("supplies-reserved", "completed")?.measure == .requestsDone)
        #expect(changed("open", "followed-up")?.measure == .requestsDone)
        #expect(changed("delivered", "completed") == nil)
        #expect(changed("completed", "followed-up") == nil)
        #expect(changed("open", "assigned") == nil)
    }

    @Test func eventsWithoutAnAreaOrAnAmountCountForNothing() {
        #expect(LedgerCounting.entry(for: Self.event("intake.request.created", area: nil)) == nil)
        #expect(LedgerCounting.entry(for: Self.event("intake.request.created", area: "not-an-area")) == nil)
        #expect(LedgerCounting.entry(for: Self.event("matching.shift.worked", area: "320505-004-012")) == nil)
        #expect(LedgerCounting.entry(for: Self.event("intake.request.cancelled", area: "320505-004-012")) == nil)
    }
}
