import Foundation
import HummingbirdTesting
import Models
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

@testable import Outreach

/// Call campaigns, follow-ups, escalation, hotlines, notices and the ledger over HTTP, on a real database.
@Suite struct CampaignTests {
    static let caller1 = ServiceHarness.token(.caller, "320505-001", subject: "caller-1")
    static let caller2 = ServiceHarness.token(.caller, "320505-001", subject: "caller-2")

    /// `count` residents in 和平苑; every third is 75, the rest 86; one without consent.
    static func register(_ client: any TestClientProtocol, count: Int) async throws -> [String] {
        var ids: [String] = []
        for n in 0..<count {
            var form = OutreachHarness.elder(phone: "1381234\(String(format: "%04d", n))").value.objectValue
            if n % 3 == 0 {
                form["birthYear"] = .number(1951)
                form["categories"] = .array([.string("living-alone")])
            }
            if n == count - 1 { form["consent"] = .bool(false) }
            let created = try await client.send(.post, "/v1/residents", token: OutreachHarness.staff, json: Body(form))
            ids.append(try #require(created.json["id"]?.stringValue))
        }
        return ids
    }

    @Test func aCampaignTargetsByCategoryAgeAndConsentAndSplitsEvenly() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            _ = try await Self.register(client, count: 10)
            let campaign = try await client.send(.post, "/v1/campaigns", token: OutreachHarness.staff, json: Body([
                "title": .string("80岁以上老人电话排查"), "area": .string("320505-001"), "categories": .array([.string("elder-80-plus")]),
                "minimumAge": .number(80), "callers": .array([.string("caller-1"), .string("caller-2"), .string("caller-3")]),
            ]))
            #expect(campaign.status == .created)
            // Residents 1, 2, 4, 5, 7, 8 are over 80 (0, 3, 6, 9 are 75) and 9 gave no consent: 6 contacts.
            #expect(campaign.json["contacts"]?.intValue == 6)
            #expect(campaign.json["perCaller"] == .object(["caller-1": .number(2), "caller-2": .number(2), "caller-3": .number(2)]))
        }
        #expect(try await harness.events("outreach.campaign.created").first?["contacts"]?.intValue == 6)
    }

    @Test func callersWorkTheirOwnQueuesAtOnceAndAnAbandonedContactReturnsToThePool() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            _ = try await Self.register(client, count: 13)
            let campaign = try #require(try await client.send(.post, "/v1/campaigns", token: OutreachHarness.staff, json: Body([
                "title": .string("排查"), "area": .string("320505-001"), "callers": .array([.string("caller-1"), .string("caller-2")]),
            ])).json["id"]?.stringValue)
            // Two callers at once, each asking again and again as an app retrying would: each
            // keeps the one contact they hold, and never the other's.
            let taken = try await withThrowingTaskGroup(of: [String?].self) { group in
                for token in [Self.caller1, Self.caller2] {
                    group.addTask {
                        var seen: [String?] = []
                        for _ in 0..<6 { seen.append(try await client.send(.post, "/v1/campaigns/\(campaign)/next", token: token).json["contactId"]?.stringValue) }
                        return seen
                    }
                }
                return try await group.reduce(into: [[String?]]()) { $0.append($1) }
            }
            #expect(taken.allSatisfy { Set($0).count == 1 && $0.first! != nil })
            #expect(Set(taken.map { $0.first! }).count == 2)
            let held1 = try #require(try await client.send(.post, "/v1/campaigns/\(campaign)/next", token: Self.caller1).json["contactId"]?.stringValue)
            // caller-1 goes offline: their lease runs out, and caller-2, done with theirs, gets it from the pool.
            let held2 = try #require(try await client.send(.post, "/v1/campaigns/\(campaign)/next", token: Self.caller2).json["contactId"]?.stringValue)
            #expect(try await client.send(.post, "/v1/contacts/\(held2)/outcome", token: Self.caller2, json: Body(["outcome": .string("reached-well")])).status == .ok)
            _ = try await harness.count("WITH x AS (UPDATE outreach_contacts SET claimed_until = now() - interval '1 minute' WHERE id = '\(held1)' RETURNING 1) SELECT count(*) FROM x")
            _ = try await harness.count("WITH x AS (UPDATE outreach_contacts SET next_attempt_at = now() + interval '1 day' WHERE status = 'pending' AND caller = 'caller-2' RETURNING 1) SELECT count(*) FROM x")
            let fromPool = try await client.send(.post, "/v1/campaigns/\(campaign)/next", token: Self.caller2)
            #expect(fromPool.json["contactId"]?.stringValue == held1)
            #expect(fromPool.json["contactPhone"]?.stringValue?.hasPrefix("1381234") == true)
            #expect(try await client.send(.post, "/v1/contacts/\(held1)/outcome", token: Self.caller1, json: Body(["outcome": .string("reached-well")])).status == .conflict)
        }
        #expect(try await harness.count("SELECT count(*) FROM outreach_record_reads WHERE reason LIKE 'campaign call%'") >= 3)
    }

    @Test func outcomesRetryUnansweredCallsTurnNeedsIntoRequestsAndEscalateWithHistory() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            _ = try await Self.register(client, count: 4)
            let campaign = try #require(try await client.send(.post, "/v1/campaigns", token: OutreachHarness.staff, json: Body([
                "title": .string("排查"), "area": .string("320505-001"), "callers": .array([.string("caller-1")]),
            ])).json["id"]?.stringValue)
            func next() async throws -> String { try #require(try await client.send(.post, "/v1/campaigns/\(campaign)/next", token: Self.caller1).json["contactId"]?.stringValue) }
            let first = try await next()
            let unanswered = try await client.send(.post, "/v1/contacts/\(first)/outcome", token: Self.caller1, json: Body(["outcome": .string("no-answer")]))
            #expect(unanswered.json["status"] == .string("pending") && unanswered.json["nextAttemptAt"] != nil)
            let second = try await next()
            #expect(second != first, "an unanswered contact waits two hours")
            let needy = try await client.send(.post, "/v1/contacts/\(second)/outcome", token: Self.caller1, json: Body([
                "outcome": .string("reached-with-needs"),
                "need": .object(["category": .string("medicine"), "urgency": .string("urgent"), "zone": .string("sealed"), "source": .string("call"),
                                 "details": .object(["drugName": .string("硝苯地平"), "dose": .string("10mg")])]),
            ]))
            #expect(needy.status == .ok && needy.json["needId"] != nil)
            let third = try await next()
            let escalated = try await client.send(.post, "/v1/contacts/\(third)/outcome", token: Self.caller1, json: Body([
                "outcome": .string("needs-escalation"), "escalateTo": .string("civil-affairs"), "note": .string("家中无人照料，需民政介入"),
            ]))
            let escalation = try #require(escalated.json["escalationId"]?.stringValue)
            let record = try await client.send(.get, "/v1/escalations/\(escalation)", token: OutreachHarness.staff)
            #expect(record.json["to"] == .string("civil-affairs"))
            #expect(record.json["caseHistory"]?["calls"].arrayValue.count == 1)
            let ledger = try await client.send(.get, "/v1/ledger?area=320505-001&date=\(Self.today)", token: OutreachHarness.staff)
            #expect(ledger.json["callsMade"]?.intValue == 3 && ledger.json["reached"]?.intValue == 1)
            #expect(ledger.json["needsFound"]?.intValue == 1 && ledger.json["escalations"]?.intValue == 1)
        }
        #expect(try await harness.events("outreach.need.identified").count == 1)
        let escalations = try await harness.events("outreach.case.escalated")
        #expect(escalations.count == 1 && !"\(escalations)".contains("民政介入"))
    }

    static var today: String {
        String(Timestamp.format(Date().addingTimeInterval(8 * 3600)).prefix(10))
    }

    @Test func dueFollowUpsAreListedOverdueOnesAnnouncedOnceAndDoneOnesRescheduled() async throws {
        let harness = try await OutreachHarness.create()
        let resident = Recorder<String>()
        try await harness.run { client in
            resident.append(contentsOf: try await Self.register(client, count: 1))
            let due = try await client.send(.get, "/v1/followups/due", token: Self.caller1)
            #expect(due.json.arrayValueOfSelf.count == 1, "a new resident's first follow-up is due at once")
        }
        let id = try #require(resident.all.first)
        _ = try await harness.count("WITH x AS (UPDATE outreach_followups SET next_due_at = now() - interval '1 day' RETURNING 1) SELECT count(*) FROM x")
        try await harness.database.withClient { client in
            let watch = FollowUpWatch(client: client, logger: .test)
            try await watch.check()
            try await watch.check()
        }
        #expect(try await harness.events("outreach.followup.overdue").count == 1)
        try await harness.run { client in
            #expect(try await client.send(.get, "/v1/followups/due", token: Self.caller1).json.arrayValueOfSelf.first?["overdue"] == .bool(true))
            let done = try await client.send(.post, "/v1/residents/\(id)/followups", token: Self.caller1, json: Body(["outcome": .string("reached-well")]))
            #expect(done.status == .created)
            #expect(try await client.send(.get, "/v1/followups/due", token: Self.caller1).json.arrayValueOfSelf.isEmpty)
            let visit = try await client.send(.post, "/v1/residents/\(id)/visits", token: Self.caller1, json: Body([
                "assessment": .object(["living": .string("alone"), "risk": .string("medium")]),
            ]))
            #expect(visit.status == .created)
        }
        let hoursAhead = try await harness.database.scalar("SELECT round(extract(epoch FROM next_due_at - now()) / 3600)::int FROM outreach_followups", as: Int.self)
        #expect(hoursAhead == 24, "high care: daily")
        #expect(try await harness.events("outreach.followup.completed").count == 2)
    }

    @Test func noticesAreReadInDialectPublishedWithTheirAudienceAndCounted() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            let notice = try #require(try await client.send(.post, "/v1/notices", token: OutreachHarness.staff, json: Body([
                "title": .string("核酸通知"), "area": .string("320505-001"), "audience": .string("registry-category"), "category": .string("elder-80-plus"),
                "variants": .object(["mandarin": .string("明天上午全员核酸"), "suzhounese": .string("明朝上半日大家侪去做核酸")]),
            ])).json["id"]?.stringValue)
            #expect(try await client.send(.get, "/v1/notices/\(notice)").status == .unauthorized, "a draft is not public")
            #expect(try await client.send(.post, "/v1/notices/\(notice)/publish", token: OutreachHarness.staff).status == .ok)
            #expect(try await client.send(.post, "/v1/notices/\(notice)/publish", token: OutreachHarness.staff).status == .conflict)
            #expect(try await client.send(.get, "/v1/notices/\(notice)?language=suzhounese").json["text"] == .string("明朝上半日大家侪去做核酸"))
            #expect(try await client.send(.get, "/v1/notices/\(notice)?language=english").json["language"] == .string("mandarin"))
            for (reader, language) in [("r1", "suzhounese"), ("r2", "mandarin"), ("r1", "suzhounese")] {
                _ = try await client.send(.post, "/v1/notices/\(notice)/reads", json: Body(["reader": .string(reader), "language": .string(language)]))
            }
            #expect(try await client.send(.get, "/v1/notices/\(notice)").json["reads"] == .object(["mandarin": .number(1), "suzhounese": .number(1)]))
            let bad = try await client.send(.post, "/v1/notices", token: OutreachHarness.staff, json: Body([
                "title": .string("x"), "area": .string("320505-001"), "audience": .string("residents"), "variants": .object(["klingon": .string("x")]),
            ]))
            #expect(Set(bad.json["errors"].arrayValue.compactMap { $0["field"]?.stringValue }) == ["variants/klingon", "variants/mandarin"])
            let hotline = try await client.send(.post, "/v1/hotline-calls", token: Self.caller1, json: Body([
                "line": .string("psychological-support"), "topic": .string("焦虑"), "durationSeconds": .number(900), "anonymous": .bool(true), "area": .string("320505-001"),
            ]))
            #expect(hotline.status == .created)
            #expect(try await client.send(.get, "/v1/hotline-calls", token: OutreachHarness.staff).json["items"].arrayValue.count == 1)
        }
        let published = try await harness.events("outreach.notice.published")
        #expect(published.count == 1)
        #expect(published.first?["audience"]?["category"] == .string("elder-80-plus"))
        #expect(published.first?["variants"]?["suzhounese"] == .string("明朝上半日大家侪去做核酸"))
    }
}
