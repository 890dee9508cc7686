import EventBus
import Foundation
import HummingbirdTesting
import Intake
import Models
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Matching

@Suite struct OfferChainTests {
    let a = UUID(), b = UUID()
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func anOfferGoesToOneVolunteerAtATimeAndMovesOnWhenDeclinedOrLapsed() throws {
        var chain = OfferChain(candidates: [a, b], deadline: start.addingTimeInterval(900), offerLength: 180)
        #expect(chain.start(now: start) == .offered(volunteer: a, until: start.addingTimeInterval(180)))
        #expect(throws: Refusal.self) { try chain.accept(by: b, now: start) }
        #expect(chain.lapse(now: start.addingTimeInterval(60)) == nil)
        #expect(chain.lapse(now: start.addingTimeInterval(180)) == .offered(volunteer: b, until: start.addingTimeInterval(360)))
        #expect(throws: Refusal.self) { try chain.accept(by: a, now: start.addingTimeInterval(200)) }
        #expect(try chain.accept(by: b, now: start.addingTimeInterval(200)) == .assigned(volunteer: b))
        #expect(throws: Refusal.self) { try chain.complete(by: b, hours: 0) }
        #expect(try chain.complete(by: b, hours: 1.5) == .completed(volunteer: b, hours: 1.5))
        #expect(chain.cancel() == nil)
    }

    @Test func aDeliveryCompletesTheHeldTaskOnceOrEndsAnOfferStillOut() throws {
        var held = OfferChain(candidates: [a, b], deadline: start.addingTimeInterval(900), offerLength: 180)
        _ = held.start(now: start)
        _ = try held.accept(by: a, now: start.addingTimeInterval(30))
        #expect(held.deliver() == .completed(volunteer: a, hours: 0))
        #expect(held.status == .completed)
        #expect(held.deliver() == nil, "a second delivery changes nothing")
        #expect(throws: Refusal.self) { try held.complete(by: a, hours: 1) }

        var offered = OfferChain(candidates: [a, b], deadline: start.addingTimeInterval(900), offerLength: 180)
        _ = offered.start(now: start)
        #expect(offered.deliver() == .fulfilled)
        #expect(offered.holder == nil && offered.offerExpiresAt == nil)
        #expect(throws: Refusal.self) { try offered.accept(by: a, now: start.addingTimeInterval(10)) }

        var cancelled = OfferChain(candidates: [a], deadline: start.addingTimeInterval(900))
        _ = cancelled.start(now: start)
        _ = cancelled.cancel()
        #expect(cancelled.deliver() == nil)
    }

    @Test func nobodyInTimeOrNobodyAtAllLeavesTheRequestUnassigned() throws {
        var empty = OfferChain(candidates: [], deadline: start.addingTimeInterval(900))
        guard case .unassigned = empty.start(now: start) else {
            Issue.record("not unassigned")
            return
        }
        var chain = OfferChain(candidates: [a, b], deadline: start.addingTimeInterval(300), offerLength: 180)
        _ = chain.start(now: start)
        _ = try chain.decline(by: a, now: start.addingTimeInterval(10))
        #expect(chain.offerExpiresAt == start.addingTimeInterval(190))
        #expect(chain.lapse(now: start.addingTimeInterval(190)) == .unassigned(reason: "every candidate declined or let the offer lapse"))
        #expect(chain.status == .unassigned)
    }
}
