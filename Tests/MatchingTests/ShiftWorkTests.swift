import EventBus
import Foundation
import HummingbirdTesting
import Models
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Matching

/// A rostered shift worked and its hours kept; a suspended volunteer's shifts re-filled.
@Suite struct ShiftWorkTests {
    static let staff = RosterPlanningTests.staff

    @Test func checkingOutRecordsHoursAndACorrectionSitsBesideTheOriginal() async throws {
        let harness = try await RosterPlanningTests.create()
        // Everyone was available yesterday too.
        _ = try await harness.count(
            "WITH x AS (UPDATE volunteers SET availability = '[{\"from\":\"2020-01-01T00:00:00Z\",\"to\":\"2099-01-01T00:00:00Z\"}]' RETURNING 1) SELECT count(*) FROM x"
        )
        let start = Date().addingTimeInterval(-26 * 3600)
        try await harness.run { client in
            _ = try await RosterPlanningTests.post(
                client, role: "queue-order", shifts: [(Timestamp.format(start), Timestamp.format(start.addingTimeInterval(4 * 3600)), 1)])
            let plan = try await client.send(
                .post, "/v1/rosters:plan", token: Self.staff,
                json: Body([
                    "area": .string("320505-001"), "from": .string(Timestamp.format(start.addingTimeInterval(-60))),
                    "to": .string(Timestamp.format(start.addingTimeInterval(60))),
                ]))
            #expect(plan.json["filled"]?.intValue == 1)
            let assignment = try #require(try await harness.database.scalar("SELECT id FROM roster_assignments", as: UUID.self))
            let volunteer = try #require(try await harness.database.scalar("SELECT volunteer_id FROM roster_assignments", as: UUID.self))
            #expect(
                try await client.send(.post, "/v1/assignments/\(assignment)/check-out", token: Self.staff, json: Body([:])).status
                    == .conflict)
            #expect(try await client.send(.post, "/v1/assignments/\(assignment)/confirm", token: Self.staff, json: Body([:])).status == .ok)
            #expect(
                try await client.send(
                    .post, "/v1/assignments/\(assignment)/check-in", token: Self.staff, json: Body(["at": .string(Timestamp.format(start))])
                ).status == .ok)
            let out = try await client.send(
                .post, "/v1/assignments/\(assignment)/check-out", token: Self.staff,
                json: Body([
                    "at": .string(Timestamp.format(start.addingTimeInterval(3.5 * 3600)))
                ]))
            #expect(out.status == .ok)
            let hours = try await client.send(.get, "/v1/volunteers/\(volunteer)/hours", token: Self.staff)
            #expect(hours.json["total"] == .number(3.5))
            let entry = try #require(hours.json["entries"].arrayValue.first?["id"]?.stringValue)
            // Forgot to check out on time: staff correct it to the 4 hours worked.
            let corrected = try await client.send(
                .post, "/v1/hours/\(entry)/corrections", token: Self.staff,
                json: Body([
                    "hours": .number(4), "reason": .string("checked out late by mistake; shift ended at the scheduled time"),
                ]))
            #expect(corrected.status == .created)
            let after = try await client.send(.get, "/v1/volunteers/\(volunteer)/hours", token: Self.staff)
            #expect(after.json["total"] == .number(4))
            #expect(
                after.json["entries"].arrayValue.map { $0["hours"] } == [.number(3.5), .number(0.5)],
                "the original stays; the correction sits beside it")
            #expect(
                try await client.send(
                    .post, "/v1/hours/\(corrected.json["id"]!.stringValue!)/corrections", token: Self.staff,
                    json: Body([
                        "hours": .number(1), "reason": .string("x"),
                    ])
                ).status == .conflict)
        }
        #expect(try await harness.events("matching.shift.worked").first?["hours"] == .number(3.5))
    }

    @Test func aSuspendedVolunteersShiftIsRefilledWithoutMovingAnyoneElse() async throws {
        let harness = try await RosterPlanningTests.create()
        try await harness.run { client in
            _ = try await RosterPlanningTests.post(
                client, role: "registration", shifts: [(RosterPlanningTests.at("07:00"), RosterPlanningTests.at("11:00"), 2)])
            let plan = try await client.send(
                .post, "/v1/rosters:plan", token: Self.staff,
                json: Body([
                    "area": .string("320505-001"), "from": .string(RosterPlanningTests.at("00:00")),
                    "to": .string(RosterPlanningTests.nextDay + "T00:00:00Z"),
                ]))
            #expect(plan.json["filled"]?.intValue == 2)
        }
        let before = try await harness.database.withClient { client in
            try await client.query("SELECT volunteer_id FROM roster_assignments ORDER BY volunteer_id", logger: .test).decode(UUID.self)
                .collectAll()
        }
        let (leaving, staying) = (before[0], before[1])
        _ = try await harness.database.withClient { client in
            try await client.query("UPDATE volunteers SET status = 'suspended' WHERE id = \(leaving)", logger: .test)
            let consumer = DispatchConsumer(endpoints: ServiceHarness.unusedBus, client: client, logger: .test)
            return try await client.transaction(logger: .test) { connection in
                try await consumer.apply(
                    DispatchTests.event("intake.volunteer.suspended", ["volunteerId": .string(leaving.uuidString)]), on: connection)
            }
        }
        let after = try await harness.database.withClient { client in
            try await client.query("SELECT volunteer_id FROM roster_assignments WHERE status <> 'cancelled'", logger: .test).decode(
                UUID.self
            ).collectAll()
        }
        #expect(after.count == 2)
        #expect(after.contains(staying) && !after.contains(leaving))
        #expect(try await harness.events("matching.shift.unassigned").first?["volunteerId"]?.stringValue == leaving.uuidString.lowercased())
        #expect(try await harness.events("matching.shift.assigned").count == 3)
    }
}
