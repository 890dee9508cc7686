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
    }

    private struct State {
        var checkins = CheckinMinutes()
        var listeners: [UUID: AsyncStream<News>.Continuation] = [:]
        var applied = 0
    }

    private let state = Mutex(State())

    init() {}

    /// Takes in a batch from the bus.
    func apply(_ events: [EventEnvelope], now: Date = Date()) {
        let listeners = state.withLock { state -> [AsyncStream<News>.Continuation] in
            for event in events where event.topic.rawValue == "intake.checkins.recorded" {
                state.checkins.record(area: event.area, count: event.data["count"]?.intValue ?? 0, at: event.occurredAt, now: now)
            }
            state.checkins.expire(now: now)
            state.applied += events.count
            return Array(state.listeners.values)
        }
        for event in events {
            let news = News(topic: event.topic.rawValue, area: event.area)
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

    /// Events taken in since start (a readiness figure for tests and `/metrics`).
    var applied: Int { state.withLock { $0.applied } }

    var listenerCount: Int { state.withLock { $0.listeners.count } }
}
