import Foundation
import HummingbirdTesting
import Models
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Outreach

/// Call campaigns, follow-ups, escalation, hotlines, notices and the ledger over HTTP, on a real database.
@Suite struct CampaignTests {
    static let caller1 = ServiceHarness.token(.caller, "320505-001", subject: "caller-1")
    static let caller2 = ServiceHarness.token(.caller, "320505-001", subject: "caller-2")

    /// `count` residents in 和平苑, all living alone: n % 4 == 1 is 75; n % 4 == 2 is 86 but not
    /// listed as 80+; the rest are 86 and listed 80+; the last gave no consent.
    static func register(_ client: any TestClientProtocol, count: Int) async throws -> [String] {
        var ids: [String] = []
        for n in 0..<count {
            var form = OutreachHarness.elder(phone: "1381234\(String(format: "%04d", n))").value.objectValue
            if n % 4 == 1 {
                form["birthYear"] = .number(1951)
                form["categories"] = .array([.string("living-alone")])
            }
            if n % 4 == 2 { form["categories"] = .array([.string("living-alone")]) }
            if n == count - 1 { form["consent"] = .bool(false) }
            let created = try await client.send(.post, "/v1/residents", token: OutreachHarness.staff, json: Body(form))
            ids.append(try #require(created.json["id"]?.stringValue))
        }
        return ids
    }

    @Test func aCampaignTargetsByCategoryAgeAndConsentAndSplitsEvenly() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            _ = try await Self.register(client, count: 13)
            func campaign(_ filters: [String: JSONValue]) async throws -> TestResponse {
                try await client.send(
                    .post, "/v1/campaigns", token: OutreachHarness.staff,
                    json: Body(
                        filters.merging([
                            "title": .string("80岁以上老人电话排查"), "area": .string("320505-001"),
                            "callers": .array([.string("caller-1"), .string("caller-2"), .string("caller-3")]),
                        ]) { $1 }))
            }
            // 0, 3, 4, 7, 8, 11 are 80+ by category; 12 gave no consent: 6. By age alone (86): all but 1, 5, 9, and not 12: 9.
            let byCategory = try await campaign(["categories": .array([.string("elder-80-plus")])])
            #expect(byCategory.status == .created)
            #expect(byCategory.json["contacts"]?.intValue == 6)
            #expect(byCategory.json["perCaller"] == .object(["caller-1": .number(2), "caller-2": .number(2), "caller-3": .number(2)]))
            #expect(try await campaign(["minimumAge": .number(80)]).json["contacts"]?.intValue == 9)
            #expect(
                try await campaign(["categories": .array([.string("living-alone")])]).json["contacts"]?.intValue == 12,
                "everyone lives alone but the one without consent")
            let elsewhere = try await client.send(
                .post, "/v1/campaigns", token: ServiceHarness.token(.staff, "320505-002"),
                json: Body([
                    "title": .string("x"), "area": .string("320505-002"), "callers": .array([.string("caller-9")]),
                ]))
            #expect(elsewhere.status == .unprocessableContent, "nobody on the registry there")
        }
        #expect(try await harness.events("outreach.campaign.created").first?["contacts"]?.intValue == 6)
    }

    @Test func callersWorkTheirOwnQueuesAtOnceAndAnAbandonedContactReturnsToThePool() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            _ = try await Self.register(client, count: 13)
            let campaign = try #require(
                try await client.send(
                    .post, "/v1/campaigns", token: OutreachHarness.staff,
                    json: Body([
                        "title": .string("排查"), "area": .string("320505-001"),
                        "callers": .array([.string("caller-1"), .string("caller-2")]),
                    ])
                ).json["id"]?.stringValue)
            // Two callers at once, each asking again and again as an app retrying would: each
            // keeps the one contact they hold (the lease renewed), and never the other's.
            let taken = try await withThrowingTaskGroup(of: [String?].self) { group in
                for token in [Self.caller1, Self.caller2] {
                    group.addTask {
                        var seen: [String?] = []
                        for _ in 0..<6 {
                            seen.append(
                                try await client.send(.post, "/v1/campaigns/\(campaign)/next", token: token).json["contactId"]?.stringValue)
                        }
                        return seen
                    }
                }
                return try await group.reduce(into: [[String?]]()) { $0.append($1) }
            }
            #expect(taken.allSatisfy { Set($0).count == 1 && $0.first! != nil })
            #expect(Set(taken.map { $0.first! }).count == 2)
            #expect(
                try await harness.count("SELECT count(*) FROM outreach_record_reads WHERE reason LIKE 'campaign call%'") == 12,
                "every hand-out is logged")

            let held1 = try #require(
                try await client.send(.post, "/v1/campaigns/\(campaign)/next", token: Self.caller1).json["contactId"]?.stringValue)
            // caller-1 goes home: after half an hour their lease and their whole queue are the
            // pool's; four callers racing for it never get the same contact.
            _ = try await harness.count(
                "WITH x AS (UPDATE outreach_campaign_callers SET last_seen_at = now() - interval '1 hour' WHERE caller = 'caller-1' RETURNING 1) SELECT count(*) FROM x"
            )
            _ = try await harness.count(
                "WITH x AS (UPDATE outreach_contacts SET claimed_until = now() - interval '1 minute' WHERE claimed_by = 'caller-1' RETURNING 1) SELECT count(*) FROM x"
            )
            let others = (3...6).map { ServiceHarness.token(.caller, "320505-001", subject: "caller-\($0)") }
            let pool = try await withThrowingTaskGroup(of: String?.self) { group in
                for token in others {
                    group.addTask {
                        try await client.send(.post, "/v1/campaigns/\(campaign)/next", token: token).json["contactId"]?.stringValue
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(pool.compactMap { $0 }.count == 4 && Set(pool.compactMap { $0 }).count == 4)
            #expect(
                try await client.send(
                    .post, "/v1/contacts/\(held1)/outcome", token: Self.caller1, json: Body(["outcome": .string("reached-well")])
                ).status == .conflict,
                "a lapsed lease records nothing")
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM outreach_contacts WHERE caller LIKE 'caller-_' AND caller NOT IN ('caller-1', 'caller-2')") == 4,
                "what is taken from the pool is the taker's now")
        }
    }

    @Test func outcomesRetryUnansweredCallsTurnNeedsIntoRequestsAndEscalateWithHistory() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            _ = try await Self.register(client, count: 4)
            let campaign = try #require(
                try await client.send(
                    .post, "/v1/campaigns", token: OutreachHarness.staff,
                    json: Body([
                        "title": .string("排查"), "area": .string("320505-001"), "callers": .array([.string("caller-1")]),
                    ])
                ).json["id"]?.stringValue)
            func next() async throws -> String {
                try #require(
                    try await client.send(.post, "/v1/campaigns/\(campaign)/next", token: Self.caller1).json["contactId"]?.stringValue)
            }
            let first = try await next()
            let unanswered = try await client.send(
                .post, "/v1/contacts/\(first)/outcome", token: Self.caller1, json: Body(["outcome": .string("no-answer")]))
            #expect(unanswered.json["status"] == .string("pending") && unanswered.json["nextAttemptAt"] != nil)
            let second = try await next()
            #expect(second != first, "an unanswered contact waits two hours")
            let needy = try await client.send(
                .post, "/v1/contacts/\(second)/outcome", token: Self.caller1,
                json: Body([
                    "outcome": .string("reached-with-needs"),
                    "need": .object([
                        "category": .string("medicine"), "urgency": .string("urgent"), "zone": .string("sealed"), "source": .string("call"),
                        "details": .object(["drugName": .string("硝苯地平"), "dose": .string("10mg")]),
                    ]),
                ]))
            #expect(needy.status == .ok && needy.json["needId"] != nil)
            let third = try await next()
            let mixed = try await client.send(
                .post, "/v1/contacts/\(third)/outcome", token: Self.caller1,
                json: Body([
                    "outcome": .string("reached-well"), "escalateTo": .string("medical"),
                ]))
            #expect(mixed.status == .unprocessableContent)
            let escalated = try await client.send(
                .post, "/v1/contacts/\(third)/outcome", token: Self.caller1,
                json: Body([
                    "outcome": .string("needs-escalation"), "escalateTo": .string("civil-affairs"), "note": .string("家中无人照料，需民政介入"),
                ]))
            let escalation = try #require(escalated.json["escalationId"]?.stringValue)
            #expect(
                try await client.send(.get, "/v1/escalations/\(escalation)", token: OutreachHarness.staff).status == .unprocessableContent,
                "a reason is required")
            let record = try await client.send(.get, "/v1/escalations/\(escalation)?reason=handover", token: OutreachHarness.staff)
            #expect(record.json["to"] == .string("civil-affairs"))
            #expect(record.json["caseHistory"]?["calls"].arrayValue.count == 1)
            let ledger = try await client.send(.get, "/v1/ledger?area=320505-001&date=\(Self.today)", token: OutreachHarness.staff)
            #expect(
                ledger.json["callsMade"]?.intValue == 3 && ledger.json["reached"]?.intValue == 2, "an escalation call reached the resident")
            let byDefault = try await client.send(.get, "/v1/ledger?area=320505-001", token: OutreachHarness.staff)
            #expect(byDefault.json["date"]?.stringValue == Self.today && byDefault.json["callsMade"]?.intValue == 3)
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
            #expect(due.json.arrayValue.count == 1, "a new resident's first follow-up is due at once")
            #expect(due.json.arrayValue.first?["name"] == nil, "the due list carries no names")
        }
        let id = try #require(resident.all.first)
        _ = try await harness.count(
            "WITH x AS (UPDATE outreach_followups SET next_due_at = now() - interval '1 day' RETURNING 1) SELECT count(*) FROM x")
        try await harness.database.withClient { client in
            let watch = FollowUpWatch(client: client, logger: .test)
            try await watch.check()
            try await watch.check()
        }
        #expect(try await harness.events("outreach.followup.overdue").count == 1)
        try await harness.run { client in
            #expect(try await client.send(.get, "/v1/followups/due", token: Self.caller1).json.arrayValue.first?["overdue"] == .bool(true))
            let done = try await client.send(
                .post, "/v1/residents/\(id)/followups", token: Self.caller1, json: Body(["outcome": .string("reached-well")]))
            #expect(done.status == .created)
            #expect(try await client.send(.get, "/v1/followups/due", token: Self.caller1).json.arrayValue.isEmpty)
            let visit = try await client.send(
                .post, "/v1/residents/\(id)/visits", token: Self.caller1,
                json: Body([
                    "assessment": .object(["living": .string("alone"), "risk": .string("medium")])
                ]))
            #expect(visit.status == .created)
        }
        let hoursAhead = try await harness.database.scalar(
            "SELECT round(extract(epoch FROM next_due_at - now()) / 3600)::int FROM outreach_followups", as: Int.self)
        #expect(hoursAhead == 24, "high care: daily")
        #expect(try await harness.events("outreach.followup.completed").count == 2)
    }

    @Test func noticesAreReadInDialectPublishedWithTheirAudienceAndCounted() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            let notice = try #require(
                try await client.send(
                    .post, "/v1/notices", token: OutreachHarness.staff,
                    json: Body([
                        "title": .string("核酸通知"), "area": .string("320505-001"), "audience": .string("registry-category"),
                        "category": .string("elder-80-plus"),
                        "variants": .object(["mandarin": .string("明天上午全员核酸"), "suzhounese": .string("明朝上半日大家侪去做核酸")]),
                    ])
                ).json["id"]?.stringValue)
            #expect(try await client.send(.get, "/v1/notices/\(notice)").status == .unauthorized, "a draft is not public")
            #expect(try await client.send(.post, "/v1/notices/\(notice)/publish", token: OutreachHarness.staff).status == .ok)
            #expect(try await client.send(.post, "/v1/notices/\(notice)/publish", token: OutreachHarness.staff).status == .conflict)
            #expect(try await client.send(.get, "/v1/notices/\(notice)?language=suzhounese").json["text"] == .string("明朝上半日大家侪去做核酸"))
            #expect(try await client.send(.get, "/v1/notices/\(notice)?language=english").json["language"] == .string("zh"))
            for (reader, language) in [("r1", "suzhounese"), ("r2", "mandarin"), ("r1", "suzhounese"), ("r3", "cantonese")] {
                _ = try await client.send(
                    .post, "/v1/notices/\(notice)/reads", json: Body(["reader": .string(reader), "language": .string(language)]))
            }
            #expect(
                try await client.send(.get, "/v1/notices/\(notice)").json["reads"]
                    == .object(["zh": .number(2), "wuu-x-suzhou": .number(1)]),
                "the former names are read as tags; a reader of a language the notice lacks was served Mandarin")
            let bad = try await client.send(
                .post, "/v1/notices", token: OutreachHarness.staff,
                json: Body([
                    "title": .string("x"), "area": .string("320505-001"), "audience": .string("residents"),
                    "variants": .object(["klingon_1": .string("x")]),
                ]))
            #expect(
                Set(bad.json["errors"].arrayValue.compactMap { $0["field"]?.stringValue }) == ["variants/klingon_1", "variants/zh"])
            let hotline = try await client.send(
                .post, "/v1/hotline-calls", token: Self.caller1,
                json: Body([
                    "line": .string("psychological-support"), "topic": .string("焦虑"), "durationSeconds": .number(900),
                    "anonymous": .bool(true), "area": .string("320505-001"),
                ]))
            #expect(hotline.status == .created)
            let unknown = try await client.send(
                .post, "/v1/hotline-calls", token: Self.caller1,
                json: Body([
                    "line": .string("service"), "topic": .string("买药"), "durationSeconds": .number(60), "anonymous": .bool(false),
                    "residentId": .string(UUID().uuidString), "area": .string("320505-001"),
                ]))
            #expect(unknown.status == .unprocessableContent)
            #expect(try await client.send(.get, "/v1/hotline-calls", token: OutreachHarness.staff).json["items"].arrayValue.count == 1)
        }
        let published = try await harness.events("outreach.notice.published")
        #expect(published.count == 1)
        #expect(published.first?["audience"]?["category"] == .string("elder-80-plus"))
        #expect(published.first?["variants"]?["wuu-x-suzhou"] == .string("明朝上半日大家侪去做核酸"))
    }
}
