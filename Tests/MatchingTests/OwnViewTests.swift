import EventBus
import Foundation
import HTTPTypes
import HummingbirdTesting
import Intake
import Models
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Matching

/// The volunteer's own view (`/v1/me/…`) with their own token: their offers and tasks,
/// their shifts and their hours, and nobody else's.
@Suite struct OwnViewTests {
    static func phone(_ volunteer: UUID) -> String {
        ServiceHarness.token(.volunteer, "320505-001-001", subject: volunteer.uuidString.lowercased())
    }

    /// A shift tomorrow at a testing site of the volunteer's street, rostered to `volunteer`.
    static func rostered(_ volunteer: UUID, at start: Date, _ harness: ServiceHarness) async throws {
        _ = try await harness.database.withClient { client in
            let (post, shift) = (UUID(), UUID())
            try await client.query(
                "INSERT INTO posts (id, name, area, role) VALUES (\(post), '和平苑核酸点', '320505-001-001-01', 'queue-order')", logger: .test)
            try await client.query(
                "INSERT INTO shifts (id, post_id, starts_at, ends_at, slots) VALUES (\(shift), \(post), \(start), \(start.addingTimeInterval(4 * 3600)), 2)",
                logger: .test)
            try await client.query(
                "INSERT INTO roster_assignments (id, shift_id, volunteer_id, cost) VALUES (\(UUID()), \(shift), \(volunteer), 0)",
                logger: .test)
        }
    }

    @Test func aVolunteerSeesTheirOwnOffersTasksShiftsAndHoursAndNobodyElses() async throws {
        let harness = try await RosterPlanningTests.create()
        let people = try await DispatchTests.volunteers(harness)
        let request = UUID()
        try await OffDutyDispatchTests.created(request, harness)
        let tomorrow = Date().addingTimeInterval(86_400)
        try await Self.rostered(people[0], at: tomorrow, harness)
        try await harness.run { client in
            let mine = Self.phone(people[0])
            let theirs = Self.phone(people[1])
            let offered = try await client.send(.get, "/v1/me/offers", token: mine)
            #expect(offered.status == .ok)
            #expect(offered.json.arrayValue.map { $0["requestId"]?.stringValue } == [request.uuidString.lowercased()])
            #expect(offered.json.arrayValue.first?["status"] == .string("offering"))
            #expect(offered.json.arrayValue.first?["offerExpiresAt"]?.stringValue != nil)
            #expect(try await client.send(.get, "/v1/me/offers", token: theirs).json.arrayValue.isEmpty)

            #expect(try await client.send(.post, "/v1/dispatches/\(request)/accept", token: mine, json: Body([:])).status == .ok)
            let held = try await client.send(.get, "/v1/me/offers", token: mine).json.arrayValue
            #expect(held.map { $0["status"] } == [.string("assigned")], "the task they hold")

            let completed = try await client.send(
                .post, "/v1/dispatches/\(request)/complete", token: mine, json: Body(["hours": .number(1.5)]))
            #expect(completed.status == .ok)
            #expect(try await client.send(.get, "/v1/me/offers", token: mine).json.arrayValue.isEmpty)
            let hours = try await client.send(.get, "/v1/me/hours", token: mine)
            #expect(hours.json["volunteerId"]?.stringValue == people[0].uuidString.lowercased())
            #expect(hours.json["total"] == .number(1.5))
            #expect(hours.json["entries"].arrayValue.map { $0["source"] } == [.string("task")])
            #expect(try await client.send(.get, "/v1/me/hours", token: theirs).json["total"] == .number(0))

            let shifts = try await client.send(.get, "/v1/me/shifts", token: mine)
            #expect(shifts.json.arrayValue.map { $0["volunteerId"]?.stringValue } == [people[0].uuidString.lowercased()])
            #expect(shifts.json.arrayValue.first?["post"] == .string("和平苑核酸点"))
            let otherDay = try await client.send(.get, "/v1/me/shifts?date=2020-01-01", token: mine)
            #expect(otherDay.status == .ok && otherDay.json.arrayValue.isEmpty)
            #expect(try await client.send(.get, "/v1/me/shifts?date=tomorrow", token: mine).status == .unprocessableContent)
            #expect(try await client.send(.get, "/v1/me/shifts", token: theirs).json.arrayValue.isEmpty)
        }
    }

    @Test func onlyAVolunteerTokenNamingAVolunteerOpensTheOwnView() async throws {
        let harness = try await RosterPlanningTests.create()
        let nobody = ServiceHarness.token(.volunteer, "320505-001-001", subject: "not-a-volunteer-id")
        let callers: [(String?, HTTPResponse.Status)] = [
            (nil, .unauthorized), (DispatchTests.dispatcher, .forbidden), (RosterPlanningTests.staff, .forbidden), (nobody, .forbidden),
        ]
        try await harness.run { client in
            for path in ["/v1/me/offers", "/v1/me/shifts", "/v1/me/hours"] {
                for (token, expected) in callers {
                    let status = try await client.send(.get, path, token: token).status
                    #expect(status == expected, "\(path)")
                }
            }
        }
    }
}
