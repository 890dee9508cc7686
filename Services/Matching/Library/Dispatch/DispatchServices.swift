import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceLifecycle
import Store

/// Follows intake: opens a dispatch for every new request and releases it when the request
/// is cancelled or merged, and, for a volunteer who is suspended, withdraws or is rejected,
/// re-fills their future shifts and re-offers the offers and tasks they hold. One durable
/// consumer, its effects exactly once (the inbox).
struct DispatchConsumer: EventConsumer {
    let endpoints: BusEndpoints
    let client: PostgresClient
    let logger: Logger

    var inbox: String { "matching.dispatch" }
    var prefixes: [String] { ["intake."] }

    func apply(_ event: EventEnvelope, on connection: PostgresConnection) async throws {
        if ["intake.volunteer.suspended", "intake.volunteer.withdrawn", "intake.volunteer.rejected"].contains(event.topic.rawValue),
            let volunteer = event.data["volunteerId"]?.stringValue.flatMap(UUID.init(uuidString:))
        {
            let reason = "volunteer " + String(event.topic.rawValue.split(separator: ".").last ?? "unavailable")
            try await RosterPlanner(connection: connection, logger: logger).refill(after: volunteer, because: reason)
            // Off duty means off every duty: the offers and unfinished tasks they hold go on.
            try await DispatchStore(connection: connection, logger: logger).withdraw(from: volunteer, because: reason, now: Date())
            return
        }
        guard let request = event.data["requestId"]?.stringValue.flatMap(UUID.init(uuidString:)) else { return }
        let store = DispatchStore(connection: connection, logger: logger)
        switch event.topic.rawValue {
        case "intake.request.created":
            guard let compound = event.data["compound"]?.stringValue.flatMap(AreaCode.init),
                let category = event.data["category"]?.stringValue
            else { return }
            // Filed twice? The duplicate is not dispatched; staff merge it into the original.
            guard event.data["probableDuplicateOf"] == nil else { return }
            try await store.open(
                request: request, compound: compound, category: category, urgency: event.data["urgency"]?.stringValue ?? "normal",
                now: Date())
        case "intake.request.cancelled", "intake.request.merged":
            guard let locked = try await store.lock(request) else { return }
            var chain = locked.chain
            guard let effect = chain.cancel() else { return }
            try await store.save(chain, request: request, compound: locked.compound, effect: effect)
        default:
            return
        }
    }
}

/// Moves lapsed offers on to the next candidate, and gives up on requests nobody took in
/// time (`matching.request.unassigned`, for the station's dispatcher). Several replicas
/// may run it: each lapsed offer is taken by one of them (SKIP LOCKED).
struct DispatchSweeper {
    let client: PostgresClient
    let logger: Logger

    /// The sweep as a service of the group: a pass every `interval`, a failed pass retried
    /// on the next.
    func periodically(every interval: Duration = .seconds(2)) -> PeriodicWork {
        PeriodicWork("dispatch sweep", every: interval, logger: logger) { try await sweep() }
    }

    /// One pass; returns how many offers moved on.
    @discardableResult
    func sweep() async throws -> Int {
        try await client.transaction(logger: logger) { connection in
            let store = DispatchStore(connection: connection, logger: logger)
            let now = try await store.now()
            var moved = 0
            for request in try await store.lapsed() {
                guard let locked = try await store.lock(request) else { continue }
                var chain = locked.chain
                guard let effect = chain.lapse(now: now) else { continue }
                try await store.save(chain, request: request, compound: locked.compound, effect: effect)
                moved += 1
            }
            return moved
        }
    }
}
