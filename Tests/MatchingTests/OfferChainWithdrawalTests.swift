import EventBus
import Foundation
import HummingbirdTesting
import Models
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Matching

/// Off duty means off every duty, as values: what a volunteer holds moves on when they go.
@Suite struct OfferChainWithdrawalTests {
    let a = UUID(), b = UUID(), c = UUID()
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func anOfferHeldByAVolunteerTakenOffDutyGoesToTheNextCandidate() {
        var chain = OfferChain(candidates: [a, b], deadline: start.addingTimeInterval(900), offerLength: 180)
        _ = chain.start(now: start)
        #expect(chain.withdraw(b, now: start, replacements: [], window: 900) == nil, "b holds nothing")
        #expect(
            chain.withdraw(a, now: start.addingTimeInterval(10), replacements: [a, b, c], window: 900)
                == .offered(volunteer: b, until: start.addingTimeInterval(190)))
        #expect(chain.candidates == [a, b, c], "the volunteer withdrawn and those already listed are not added again")
    }

    @Test func anAssignedTaskNotYetDoneIsOfferedAgainWithAFreshWindow() throws {
        var chain = OfferChain(candidates: [a], deadline: start.addingTimeInterval(900), offerLength: 180)
        _ = chain.start(now: start)
        _ = try chain.accept(by: a, now: start.addingTimeInterval(5))
        let later = start.addingTimeInterval(3_600)
        #expect(
            chain.withdraw(a, now: later, replacements: [c], window: 900) == .offered(volunteer: c, until: later.addingTimeInterval(180)))
        #expect(chain.status == .offering && chain.deadline == later.addingTimeInterval(900))
        #expect(try chain.accept(by: c, now: later.addingTimeInterval(60)) == .assigned(volunteer: c))
    }

    @Test func withNobodyElseTheTaskIsLeftToTheDispatcherWithTheReason() throws {
        var chain = OfferChain(candidates: [a], deadline: start.addingTimeInterval(900), offerLength: 180)
        _ = chain.start(now: start)
        guard case .unassigned(let reason) = chain.withdraw(a, now: start, replacements: [], window: 900) else {
            Issue.record("not unassigned")
            return
        }
        #expect(reason.contains("taken off duty"))
        #expect(chain.holder == nil)
    }
}
