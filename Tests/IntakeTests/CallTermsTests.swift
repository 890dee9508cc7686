import Foundation
import Models
import Testing

@testable import Intake

/// When a recruitment call takes a sign-up, without I/O.
@Suite struct CallTermsTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let open = CallTerms(headcount: 2, enforceHeadcount: false, deadline: now.addingTimeInterval(3600), closedAt: nil)

    @Test func anOpenCallTakesSignUpsBeyondAHeadcountItDoesNotEnforce() {
        #expect(Self.open.refusal(placesTaken: 5, now: Self.now) == nil)
    }

    @Test func anEnforcedHeadcountRefusesOnceThePlacesAreTaken() {
        var terms = Self.open
        terms.enforceHeadcount = true
        #expect(terms.refusal(placesTaken: 1, now: Self.now) == nil)
        #expect(terms.refusal(placesTaken: 2, now: Self.now)?.title == "Call full")
    }

    @Test func aClosedOrExpiredCallTakesNoSignUp() {
        var closed = Self.open
        closed.closedAt = Self.now.addingTimeInterval(-60)
        #expect(closed.refusal(placesTaken: 0, now: Self.now)?.title == "Call closed")
        #expect(Self.open.refusal(placesTaken: 0, now: Self.now.addingTimeInterval(7200))?.title == "Call closed")
    }
}
