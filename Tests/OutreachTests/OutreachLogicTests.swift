import Foundation
import Models
import Testing

@testable import Outreach

/// Campaign distribution, the retry schedule and leases, cadences and dialect fallback, without I/O.
@Suite struct OutreachLogicTests {
    @Test func contactsAreSpreadEvenlyAndDeterministically() {
        for (contacts, callers) in [(4_000, 7), (10, 3), (2, 5), (0, 2)] {
            let split = CampaignDistribution.assign(Array(0..<contacts), to: (0..<callers).map { "caller-\($0)" })
            let counts = split.map(\.contacts.count)
            #expect(counts.reduce(0, +) == contacts)
            #expect((counts.max() ?? 0) - (counts.min() ?? 0) <= 1)
            #expect(Set(split.flatMap(\.contacts)).count == contacts, "no contact is given twice")
            #expect(
                CampaignDistribution.assign(Array(0..<contacts), to: (0..<callers).map { "caller-\($0)" }).map(\.contacts)
                    == split.map(\.contacts))
        }
    }

    @Test func noAnswerIsTriedThreeTimesSpacedOutThenTheContactEnds() throws {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var contact = ContactProgress(nextAttemptAt: start)
        try contact.claim(by: "caller-1", now: start)
        try contact.record(.noAnswer, by: "caller-1", now: start)
        #expect(contact.status == .pending && contact.nextAttemptAt == start.addingTimeInterval(2 * 3600))
        #expect(!contact.isAvailable(to: "caller-1", now: start.addingTimeInterval(3600)))
        let second = start.addingTimeInterval(2 * 3600)
        try contact.claim(by: "caller-1", now: second)
        try contact.record(.noAnswer, by: "caller-1", now: second)
        #expect(contact.nextAttemptAt == second.addingTimeInterval(4 * 3600))
        let third = second.addingTimeInterval(4 * 3600)
        try contact.claim(by: "caller-1", now: third)
        try contact.record(.noAnswer, by: "caller-1", now: third)
        #expect(contact.status == .done && contact.outcome == .noAnswer && contact.attempts == 3)
        #expect(throws: Refusal.self) { try contact.claim(by: "caller-1", now: third.addingTimeInterval(86_400)) }
    }

    @Test func aClaimIsTheCallersUntilItsLeaseRunsOut() throws {
        let now = Date()
        var contact = ContactProgress(nextAttemptAt: now)
        try contact.claim(by: "caller-1", now: now)
        #expect(throws: Refusal.self) { try contact.claim(by: "caller-2", now: now.addingTimeInterval(60)) }
        #expect(throws: Refusal.self) { try contact.record(.reachedWell, by: "caller-2", now: now.addingTimeInterval(60)) }
        let later = now.addingTimeInterval(16 * 60)
        #expect(throws: Refusal.self) { try contact.record(.reachedWell, by: "caller-1", now: later) }
        try contact.claim(by: "caller-2", now: later)
        try contact.record(.reachedWell, by: "caller-2", now: later)
        #expect(contact.status == .done && contact.outcome == .reachedWell)
    }

    @Test func cadenceFollowsTheCareLevelAndAFulfilledNeedBringsItForward() {
        let now = Date()
        #expect(FollowUpCadence.next(after: now, level: .high) == now.addingTimeInterval(86_400))
        #expect(FollowUpCadence.next(after: now, level: .medium) == now.addingTimeInterval(3 * 86_400))
        #expect(
            FollowUpCadence.afterFulfilment(at: now, currentlyDue: now.addingTimeInterval(5 * 86_400)) == now.addingTimeInterval(86_400))
        #expect(FollowUpCadence.afterFulfilment(at: now, currentlyDue: now.addingTimeInterval(3600)) == now.addingTimeInterval(3600))
        #expect(FollowUpCadence.isOverdue(due: now.addingTimeInterval(-7 * 3600), now: now))
        #expect(!FollowUpCadence.isOverdue(due: now.addingTimeInterval(-3600), now: now))
    }

    @Test func aReaderGetsTheirDialectOrMandarin() throws {
        let suzhou = try #require(LanguageTag("wuu-x-suzhou"))
        let notice = NoticeText(variants: [.mandarin: "明天上午全员核酸", suzhou: "明朝上半日大家侪去做核酸"])
        #expect(notice.text(for: suzhou)?.language == suzhou)
        #expect(notice.text(for: LanguageTag("en"))?.language == .mandarin)
        #expect(notice.text(for: LanguageTag("wuu-x-hangzhou"))?.language == .mandarin, "a neighbouring dialect is not guessed at")
        #expect(notice.text(for: nil)?.text == "明天上午全员核酸")
    }
}
