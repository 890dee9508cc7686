import Foundation
import Models
import Testing

@testable import Console

@Suite struct ShiftShortagesTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func event(_ topic: Topic, _ data: [String: JSONValue], area: String = "320505-004-012-03", at: Date? = nil) -> EventEnvelope {
        EventEnvelope(
            id: UUID(), topic: topic, seq: 1, stream: "matching", occurredAt: at ?? now, key: "k", area: area, data: .object(data))
    }

    func shortage(_ shift: String, unfilled: Int, area: String = "320505-004-012-03", hoursAhead: Double = 2) -> EventEnvelope {
        event(
            "matching.shift.shortage",
            [
                "shiftId": .string(shift), "area": .string(area), "role": .string("queue-order"), "unfilled": .number(Double(unfilled)),
                "startsAt": .string(Timestamp.format(now.addingTimeInterval(hoursAhead * 3600))),
                "endsAt": .string(Timestamp.format(now.addingTimeInterval((hoursAhead + 4) * 3600))),
                "cause": .string("noAvailability"), "reason": .string("nobody is available then"),
            ], area: area)
    }

    @Test func aShortageShrinksWithEachSeatFilledAndALaterPlanReplacesIt() {
        var shortages = ShiftShortages()
        shortages.apply(shortage("s1", unfilled: 2))
        shortages.apply(event("matching.shift.assigned", ["shiftId": .string("s1"), "volunteerId": .string("v")]))
        #expect(shortages.list(in: nil).map(\.unfilled) == [1])
        shortages.apply(shortage("s1", unfilled: 3))
        #expect(shortages.list(in: nil).map(\.unfilled) == [3])
        for _ in 0..<3 { shortages.apply(event("matching.shift.assigned", ["shiftId": .string("s1")])) }
        #expect(shortages.list(in: nil).isEmpty)
    }

    @Test func shortagesAreListedSoonestFirstWithinTheViewersAreaUntilTheShiftIsOver() {
        var shortages = ShiftShortages()
        shortages.apply(shortage("later", unfilled: 1, hoursAhead: 5))
        shortages.apply(shortage("sooner", unfilled: 1, hoursAhead: 1))
        shortages.apply(shortage("elsewhere", unfilled: 1, area: "320505-005-001-01"))
        #expect(shortages.list(in: nil).map(\.shiftID) == ["sooner", "elsewhere", "later"])
        #expect(shortages.list(in: AreaCode("320505-004")).map(\.shiftID) == ["sooner", "later"])
        shortages.expire(now: now.addingTimeInterval(7 * 3600))
        #expect(shortages.list(in: nil).map(\.shiftID) == ["later"])
    }

    @Test func theShiftSubscriptionFeedsTheBoardAndOnlyItsRecentEventsAreNews() async {
        let feed = LiveFeed()
        var listener = feed.listen().makeAsyncIterator()
        let old = shortage("s-old", unfilled: 1)
        var stale = old
        stale.occurredAt = now.addingTimeInterval(-3600)
        feed.apply([stale], shifts: true, now: now)
        // The live subscription's copy of a shift event is neither counted nor news.
        feed.apply([shortage("s-live-copy", unfilled: 4)], now: now)
        feed.apply([shortage("s-new", unfilled: 2)], shifts: true, now: now)
        #expect(feed.shortages(in: nil, now: now).map(\.shiftID).sorted() == ["s-new", "s-old"])
        let news = await listener.next()
        #expect(news == LiveFeed.News(topic: "matching.shift.shortage", area: "320505-004-012-03"))
    }

    @Test func theBoardSortsRowsIntoLanesAndMarksRequestsNobodyTookInFifteenMinutes() {
        let board = DispatchBoard(
            .array([
                .object([
                    "requestId": .string("a"), "status": .string("unassigned"), "compound": .string("320505-004-012-03"),
                    "ageMinutes": .number(20),
                ]),
                .object([
                    "requestId": .string("b"), "status": .string("offering"), "ageMinutes": .number(3),
                    "offerExpiresAt": .string(Timestamp.format(now)),
                ]),
                .object(["requestId": .string("c"), "status": .string("assigned"), "ageMinutes": .number(40)]),
                .object(["status": .string("assigned")]),
            ]))
        #expect(board.rows.map(\.requestID) == ["a", "b", "c"])
        #expect(board.lane("offering").first?.offerExpiresAt == now)
        #expect(board.late.map(\.requestID) == ["a"])
    }
}
