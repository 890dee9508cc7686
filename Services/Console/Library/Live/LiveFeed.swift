import Foundation
import Models
import Synchronization

/// What the console's pages show live, as the bus tells it: each event's topic and area as
/// news for the pages listening, and the check-in counts of the operations room.
///
/// Ownership: one ``LiveFeedService`` applies events (from its subscribers' tasks); page
/// streams listen from theirs. All state is behind one `Mutex`, held only to copy or count,
/// never across an await.
final class LiveFeed: Sendable {
    /// One event as a page needs it: what happened and where (no personal data travels on the
    /// bus, so none is here).
    struct News: Sendable, Equatable {
        var topic: String
        var area: String?
        /// The volunteer the event is about (an opaque id, never a name), for their own page.
        var volunteer: String? = nil
    }

    private struct State {
        var checkins = CheckinMinutes()
        var shortages = ShiftShortages()
        /// The minute of the last expiry: old minutes and shifts are forgotten once a minute,
        /// not on every batch of a surge.
        var expiredAt = 0
        var listeners: [UUID: AsyncStream<News>.Continuation] = [:]
        var applied = 0
    }

    private let state = Mutex(State())

    init() {}

    /// Takes in a batch from the bus. `shifts` says whether this batch is the shift topics'
    /// own subscription (read from the beginning, so a board opened later still lists the
    /// shortages of earlier plans); the live subscriptions' copies of them are not counted twice.
    func apply(_ events: [EventEnvelope], shifts: Bool = false, now: Date = Date()) {
        let listeners = state.withLock { state -> [AsyncStream<News>.Continuation] in
            for event in events {
                if shifts {
                    state.shortages.apply(event)
                } else if event.topic.rawValue == "intake.checkins.recorded" {
                    state.checkins.record(area: event.area, count: event.data["count"]?.intValue ?? 0, at: event.occurredAt, now: now)
                }
            }
            if CheckinMinutes.minute(now) != state.expiredAt {
                state.expiredAt = CheckinMinutes.minute(now)
                state.checkins.expire(now: now)
                state.shortages.expire(now: now)
            }
            state.applied += events.count
            return Array(state.listeners.values)
        }
        // Shift news comes from the shift subscription, after its state changed (so a page
        // fetching on the news sees the change); what it replays from long ago is not news.
        for event in events
        where shifts ? event.occurredAt > now.addingTimeInterval(-60) : !event.topic.rawValue.hasPrefix("matching.shift.") {
            let news = News(topic: event.topic.rawValue, area: event.area, volunteer: event.data["volunteerId"]?.stringValue)
            for listener in listeners { listener.yield(news) }
        }
    }

    /// News from now on, until the listener stops listening. A listener that falls behind
    /// loses the oldest news: pages only need to know that something changed.
    func listen() -> AsyncStream<News> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<News>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) }
        }
        state.withLock { $0.listeners[id] = continuation }
        return stream
    }

    /// The check-in chart of `scope`.
    func checkins(in scope: AreaCode?, minutes: Int = 15, now: Date = Date()) -> [(street: String, perMinute: [Int])] {
        state.withLock { $0.checkins.series(in: scope, minutes: minutes, now: now) }
    }

    /// The shifts left short in `scope`, soonest first.
    func shortages(in scope: AreaCode?, now: Date = Date()) -> [ShiftShortages.Shortage] {
        state.withLock { $0.shortages.list(in: scope).filter { $0.endsAt > now } }
    }

    /// Events taken in since start (a readiness figure for tests and `/metrics`).
    var applied: Int { state.withLock { $0.applied } }

    var listenerCount: Int { state.withLock { $0.listeners.count } }
}
