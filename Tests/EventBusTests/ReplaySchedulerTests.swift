import Testing

@testable import Bus

/// Fair, bounded replay: one key's flood cannot starve another's recovery.
@Suite struct ReplaySchedulerTests {
    typealias Scheduler = ReplayScheduler<String>

    @Test func keysTakeTurnsWhateverOneOfThemQueued() {
        var scheduler = Scheduler(limits: .init(workers: 1, reservedForServices: 0, inFlightPerServiceKey: 1, inFlightPerIntegratorKey: 1))
        for n in 0..<20 { #expect(scheduler.submit("flood-\(n)", key: "flood", role: .service, atMilliseconds: 0) == .queued) }
        #expect(scheduler.submit("recovery", key: "matching", role: .service, atMilliseconds: 0) == .queued)
        var order: [String] = []
        while let (key, job) = scheduler.next() {
            order.append(job)
            scheduler.finished(key: key)
        }
        #expect(order.prefix(3) == ["flood-0", "recovery", "flood-1"], "the second key goes after at most one of the first's")
        #expect(order.count == 21)
    }

    @Test func integratorsNeverHoldTheWorkersReservedForServices() {
        var scheduler = Scheduler(limits: .init(workers: 3, reservedForServices: 1, inFlightPerIntegratorKey: 1))
        for n in 0..<5 {
            #expect(scheduler.submit("x", key: "integrator-\(n)", role: .integrator, atMilliseconds: 0) == .queued)
        }
        #expect(scheduler.next() != nil)
        #expect(scheduler.next() != nil)
        #expect(scheduler.next() == nil, "two of three workers is the integrators' share")
        #expect(scheduler.submit("gap", key: "supplies", role: .service, atMilliseconds: 0) == .queued)
        #expect(scheduler.next()?.key == "supplies")
    }

    @Test func oneKeyHasFewRequestsInFlight() {
        var scheduler = Scheduler(limits: .init(workers: 8, inFlightPerServiceKey: 2))
        for n in 0..<5 { _ = scheduler.submit("\(n)", key: "intake", role: .service, atMilliseconds: 0) }
        #expect(scheduler.next() != nil)
        #expect(scheduler.next() != nil)
        #expect(scheduler.next() == nil)
        scheduler.finished(key: "intake")
        #expect(scheduler.next()?.job == "2")
    }

    @Test func aKeyBeyondItsRateIsRefusedWithTheWaitAndRefilledLater() {
        var scheduler = Scheduler(limits: .init(queuePerKey: 1000, integratorRate: .init(perSecond: 10, burst: 3)))
        for _ in 0..<3 { #expect(scheduler.submit("r", key: "lab", role: .integrator, atMilliseconds: 0) == .queued) }
        guard case .refused(let reason, let wait) = scheduler.submit("r", key: "lab", role: .integrator, atMilliseconds: 0) else {
            Issue.record("the fourth request in the same instant should be refused")
            return
        }
        #expect(reason.contains("lab"))
        #expect(wait == 100)
        #expect(scheduler.submit("r", key: "lab", role: .integrator, atMilliseconds: 100) == .queued)
    }

    @Test func aFullQueueRefusesAtOnce() {
        var scheduler = Scheduler(limits: .init(queuePerKey: 2))
        #expect(scheduler.submit("1", key: "k", role: .service, atMilliseconds: 0) == .queued)
        #expect(scheduler.submit("2", key: "k", role: .service, atMilliseconds: 0) == .queued)
        #expect(
            scheduler.submit("3", key: "k", role: .service, atMilliseconds: 0)
                == .refused(reason: "key k already has 2 replay requests waiting", retryAfterMilliseconds: 0))
        #expect(scheduler.depth == 2)
    }
}
