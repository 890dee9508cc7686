import Foundation
import HummingbirdTesting
import Intake
import Models
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Matching

/// Posts, shifts and `rosters:plan` over HTTP, with volunteers in intake's table.
@Suite struct RosterPlanningTests {
    static let staff = ServiceHarness.token(.staff, "320505-001", subject: "station-staff")

    /// The fixture's working day, thirty days ahead: its shifts are still to come (a
    /// suspension cancels only those) and its volunteers are not available now, so dispatch
    /// tests see only the drivers they add. A fixed date turned into today on 2026-12-01.
    static let day = String(Timestamp.format(dayStart).prefix(10))
    /// The day after ``day``.
    static let nextDay = String(Timestamp.format(dayStart.addingTimeInterval(86_400)).prefix(10))
    private static let dayStart = Date().addingTimeInterval(30 * 86_400)

    /// `time` (`HH:MM`, UTC) on ``day``, as RFC 3339.
    static func at(_ time: String) -> String { "\(day)T\(time):00Z" }

    /// The fixture volunteers' availability: all of ``day``.
    static let allDay = #"[{"from":"\#(at("00:00"))","to":"\#(nextDay)T00:00:00Z"}]"#

    static func create() async throws -> ServiceHarness {
        let harness = try await ServiceHarness.create(MatchingService.description, alsoMigrating: IntakeService.description.migrations)
        try await harness.database.insertAreas([
            "320505": "虎丘区",
            "320505-001": "狮山",
            "320505-001-001": "和平社区",
            "320505-001-002": "幸福社区",
            "320505-001-001-01": "和平苑",
        ])
        _ = try await harness.database.withClient { client in
            // Six eligible volunteers free all day, one suspended, one untrained; two are drivers.
            for n in 0..<8 {
                let status = n == 6 ? "suspended" : "verified"
                try await client.query(
                    """
                    INSERT INTO volunteers (id, name, mobile, id_number, birth_year, community, skills, availability, health, status, trained, insured)
                    VALUES (gen_random_uuid(), \("志愿者\(n)"), \("1390000\(1000 + n)"), \("ID\(n)"), 1990, \(n % 2 == 0 ? "320505-001-001" : "320505-001-002"),
                            \(n < 2 ? ["driving"] : [String]()), \(Self.allDay)::jsonb, '{}', \(status), \(n != 7), true)
                    """,
                    logger: .test
                )
            }
        }
        return harness
    }

    static func post(_ client: any TestClientProtocol, role: String, skills: [String] = [], shifts: [(String, String, Int)]) async throws
        -> String
    {
        let post = try await client.send(
            .post, "/v1/posts", token: staff,
            json: Body([
                "name": .string("和平苑核酸点 \(role)"), "area": .string("320505-001-001-01"), "role": .string(role),
                "requiredSkills": .array(skills.map(JSONValue.string)),
            ]))
        #expect(post.status == .created, "\(post.json)")
        let id = try #require(post.json["id"]?.stringValue)
        for (start, end, slots) in shifts {
            let shift = try await client.send(
                .post, "/v1/posts/\(id)/shifts", token: staff,
                json: Body([
                    "startsAt": .string(start), "endsAt": .string(end), "slots": .number(Double(slots)),
                ]))
            #expect(shift.status == .created, "\(shift.json)")
        }
        return id
    }

    @Test func aPlanFillsWhatTheRulesAllowAndAnnouncesEachShortageWithItsReason() async throws {
        let harness = try await Self.create()
        try await harness.run { client in
            let registration = try await Self.post(
                client, role: "registration",
                shifts: [
                    (Self.at("07:00"), Self.at("11:00"), 3), (Self.at("11:00"), Self.at("15:00"), 3),
                ])
            _ = try await Self.post(
                client, role: "delivery", skills: ["driving"], shifts: [(Self.at("08:00"), Self.at("12:00"), 3)])
            _ = try await Self.post(
                client, role: "sampling", skills: ["medical"], shifts: [(Self.at("09:00"), Self.at("13:00"), 1)])
            let plan = try await client.send(
                .post, "/v1/rosters:plan", token: Self.staff,
                json: Body([
                    "area": .string("320505-001"), "from": .string(Self.at("00:00")), "to": .string(Self.nextDay + "T00:00:00Z"),
                ]))
            #expect(plan.status == .created, "\(plan.json)")
            // 10 slots; 6 eligible people, each at most one 4-hour shift here (8 h rest between shifts).
            #expect(plan.json["slots"]?.intValue == 10)
            #expect(plan.json["filled"]?.intValue == 6)
            let reasons = plan.json["unfilled"].arrayValue.map { $0["cause"]?.stringValue }
            #expect(reasons.contains("missingSkill"))
            let again = try await client.send(
                .post, "/v1/rosters:plan", token: Self.staff,
                json: Body([
                    "area": .string("320505-001"), "from": .string(Self.at("00:00")), "to": .string(Self.nextDay + "T00:00:00Z"),
                ]))
            #expect(again.json["filled"]?.intValue == 0, "nobody is booked twice; the open slots stay open")
            let roster = try await client.send(.get, "/v1/posts/\(registration)/roster", token: Self.staff)
            #expect(roster.json.arrayValue.count <= 6 && !roster.json.arrayValue.isEmpty)
            #expect(
                try await client.send(.get, "/v1/posts/\(registration)/roster?date=\(Self.day)", token: Self.staff).json.arrayValue.count
                    == roster.json.arrayValue.count)
            #expect(
                try await client.send(.get, "/v1/posts/\(registration)/roster?date=\(Self.nextDay)", token: Self.staff).json.arrayValue
                    .isEmpty)
            #expect(
                try await client.send(.get, "/v1/posts/\(registration)/roster?date=tomorrow", token: Self.staff).status
                    == .unprocessableContent)
            #expect(
                try await client.send(
                    .post, "/v1/rosters:plan", token: ServiceHarness.token(.staff, "320505-002"),
                    json: Body([
                        "area": .string("320505-001"), "from": .string(Self.at("00:00")), "to": .string(Self.nextDay + "T00:00:00Z"),
                    ])
                ).status == .forbidden)
        }
        #expect(try await harness.count("SELECT count(*) FROM roster_assignments") == 6)
        #expect(try await harness.count("SELECT count(DISTINCT volunteer_id) FROM roster_assignments") == 6)
        #expect(
            try await harness.count(
                "SELECT count(*) FROM roster_assignments a JOIN volunteers v ON v.id = a.volunteer_id WHERE v.status <> 'verified' OR NOT v.trained"
            ) == 0)
        let shortages = try await harness.events("matching.shift.shortage")
        #expect(shortages.contains { $0["cause"] == .string("missingSkill") && $0["role"] == .string("sampling") })
        #expect(try await harness.events("matching.shift.assigned").count == 6)
        #expect(!"\(try await harness.events("matching.shift.assigned"))".contains("志愿者"))
    }
}
