import Foundation
import Models
import Testing

@testable import Console

@Suite struct LiveFeedTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func checkinsAreCountedPerStreetAndMinuteWithinTheWindow() throws {
        var minutes = CheckinMinutes()
        minutes.record(area: "320505-004-012-03", count: 7, at: now, now: now)
        minutes.record(area: "320505-004-001", count: 3, at: now.addingTimeInterval(-60), now: now)
        minutes.record(area: "320505-005-001", count: 2, at: now, now: now)
        minutes.record(area: "320505", count: 100, at: now, now: now)  // a district: no street to draw
        minutes.record(area: "320505-004-001", count: 9, at: now.addingTimeInterval(-7200), now: now)  // before the window
        let all = minutes.series(in: nil, minutes: 3, now: now)
        #expect(all.map(\.street) == ["320505-004", "320505-005"])
        #expect(all[0].perMinute == [0, 3, 7])
        #expect(all[1].perMinute == [0, 0, 2])
        let street = minutes.series(in: AreaCode("320505-005"), minutes: 3, now: now)
        #expect(street.map(\.street) == ["320505-005"])
        let community = minutes.series(in: AreaCode("320505-004-012"), minutes: 1, now: now)
        #expect(community.map(\.street) == ["320505-004"])
        minutes.expire(now: now.addingTimeInterval(3 * 3600))
        #expect(minutes.series(in: nil, minutes: 3, now: now).isEmpty)
    }

    @Test func aChannelHearsOnlyItsTopicsWithinTheViewersArea() {
        let street = AreaCode("320505-004")
        let inside = LiveFeed.News(topic: "matching.request.assigned", area: "320505-004-012-03")
        let outside = LiveFeed.News(topic: "matching.request.assigned", area: "320505-005-001-01")
        let nowhere = LiveFeed.News(topic: "matching.request.assigned", area: nil)
        let other = LiveFeed.News(topic: "outreach.resident.registered", area: "320505-004-012")
        #expect(LiveChannel.dispatch.concerns(inside, scope: street))
        #expect(!LiveChannel.dispatch.concerns(outside, scope: street))
        #expect(!LiveChannel.dispatch.concerns(nowhere, scope: street))
        #expect(LiveChannel.dispatch.concerns(nowhere, scope: nil))
        #expect(!LiveChannel.dispatch.concerns(other, scope: nil))
        #expect(LiveChannel.operations.concerns(LiveFeed.News(topic: "intake.checkins.recorded", area: "320505-004-012"), scope: street))
    }

    @Test func listenersHearEachEventAndAreForgottenWhenTheyStop() async throws {
        let feed = LiveFeed()
        var listener: AsyncStream<LiveFeed.News>.Iterator? = feed.listen().makeAsyncIterator()
        #expect(feed.listenerCount == 1)
        let event = EventEnvelope(
            id: UUID(), topic: "intake.checkins.recorded", seq: 1, stream: "intake", occurredAt: now,
            key: "batch", area: "320505-004-012", data: .object(["count": .number(12)]))
        feed.apply([event], now: now)
        let heard = await listener?.next()
        #expect(heard == LiveFeed.News(topic: "intake.checkins.recorded", area: "320505-004-012"))
        #expect(feed.checkins(in: nil, minutes: 1, now: now).first?.perMinute == [12])
        listener = nil
        try await Task.sleep(for: .milliseconds(50))
        #expect(feed.listenerCount == 0)
    }
}
