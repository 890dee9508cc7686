import EventBus
import Foundation
import HTTPTypes
import HummingbirdTesting
import Intake
import Models
import NIOCore
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Matching

/// Dispatch against a real database: candidates from intake's volunteers, offers, answers,
/// lapses swept by two sweepers at once, and the dispatcher's board.
@Suite struct DispatchTests {
    static let dispatcher = ServiceHarness.token(.dispatcher, "320505-001", subject: "dispatcher-1")

    static func event(_ topic: Topic, _ data: [String: JSONValue]) -> EventEnvelope {
        EventEnvelope(id: UUID(), topic: topic, seq: 1, stream: "intake", occurredAt: Date(), key: "k", data: .object(data))
    }

    /// Returns the volunteers' ids: a driver in the request's community, a driver in the
    /// next community, a non-driver in the same community, and a driver not available now.
    static func volunteers(_ harness: ServiceHarness) async throws -> [UUID] {
        let ids = (0..<4).map { _ in UUID() }
        _ = try await harness.database.withClient { client in
            for (n, id) in ids.enumerated() {
                let community = n == 1 ? "320505-001-002" : "320505-001-001"
                let skills = n == 2 ? [String]() : ["driving"]
                let window =
                    n == 3
                    ? #"[{"from":"2020-01-01T00:00:00Z","to":"2020-01-02T00:00:00Z"}]"#
                    : #"[{"from":"2020-01-01T00:00:00Z","to":"2099-01-01T00:00:00Z"}]"#
                try await client.query(
                    """
                    INSERT INTO volunteers (id, name, mobile, id_number, birth_year, community, skills, availability, health, status, trained, insured)
                    VALUES (\(id), \("志愿者\(n)"), \("1390000\(2000 + n)"), \("DID\(n)"), 1990, \(community), \(skills), \(window)::jsonb, '{}', 'verified', true, true)
                    """,
                    logger: .test
                )
            }
        }
        return ids
    }

    @Test func aMedicineRunIsOfferedToTheNearestDriverAndMovesOnUntilSomeoneTakesIt() async throws {
        let harness = try await RosterPlanningTests.create()
        let people = try await Self.volunteers(harness)
        let request = UUID()
        _ = try await harness.database.withClient { client in
            let consumer = DispatchConsumer(endpoints: ServiceHarness.unusedBus, client: client, logger: .test)
            return try await client.transaction(logger: .test) { connection in
                try await consumer.apply(
                    Self.event(
                        "intake.request.created",
                        [
                            "requestId": .string(request.uuidString), "compound": .string("320505-001-001-01"),
                            "category": .string("medicine"), "urgency": .string("urgent"),
                        ]), on: connection)
            }
        }
        let candidates: [UUID]?
        do {
            candidates = try await harness.database.scalar(
                "SELECT candidates FROM dispatches WHERE request_id = \(request)", as: [UUID].self)
        } catch {
            Issue.record("\(String(reflecting: error))")
            return
        }
        // The other old members of the fixture (from RosterPlanningTests) are not drivers or not here.
        #expect(candidates?.prefix(2) == [people[0], people[1]][...])
        #expect(candidates?.contains(people[2]) == false && candidates?.contains(people[3]) == false)
        try await harness.run { client in
            let board = try await client.send(.get, "/v1/dispatch-board", token: Self.dispatcher).json.arrayValue
            #expect(board.first?["holder"]?.stringValue == people[0].uuidString.lowercased())
            let wrong = try await client.send(
                .post, "/v1/dispatches/\(request)/accept", token: Self.dispatcher,
                json: Body(["volunteerId": .string(people[1].uuidString)]))
            #expect(wrong.status == .conflict, "only the volunteer holding the offer accepts it")
            let declined = try await client.send(
                .post, "/v1/dispatches/\(request)/decline", token: Self.dispatcher,
                json: Body(["volunteerId": .string(people[0].uuidString)]))
            #expect(declined.json["holder"]?.stringValue == people[1].uuidString.lowercased())
        }
        try await harness.run { client in
            // The volunteer answers on their own phone: their token speaks only for them.
            let phone = ServiceHarness.token(.volunteer, "320505-001-002", subject: people[1].uuidString.lowercased())
            let impostor = try await client.send(
                .post, "/v1/dispatches/\(request)/accept", token: phone, json: Body(["volunteerId": .string(people[0].uuidString)]))
            #expect(impostor.status == .forbidden)
            let accepted = try await client.send(.post, "/v1/dispatches/\(request)/accept", token: phone, json: Body([:]))
            #expect(accepted.json["status"] == .string("assigned"))
            let done = try await client.send(
                .post, "/v1/dispatches/\(request)/complete", token: Self.dispatcher,
                json: Body([
                    "volunteerId": .string(people[1].uuidString), "hours": .number(1.5),
                ]))
            #expect(done.json["status"] == .string("completed"))
            #expect(try await client.send(.get, "/v1/dispatch-board", token: Self.dispatcher).json.arrayValue.isEmpty)
        }
        // A second run nobody answers: each lapse moves it on once, even with two sweepers at once, then it is unassigned.
        let unanswered = UUID()
        _ = try await harness.database.withClient { client in
            let consumer = DispatchConsumer(endpoints: ServiceHarness.unusedBus, client: client, logger: .test)
            return try await client.transaction(logger: .test) { connection in
                try await consumer.apply(
                    Self.event(
                        "intake.request.created",
                        [
                            "requestId": .string(unanswered.uuidString), "compound": .string("320505-001-001-01"),
                            "category": .string("medicine"), "urgency": .string("critical"),
                        ]), on: connection)
            }
        }
        for expectedHolder in [people[1], nil] {
            _ = try await harness.count(
                "WITH x AS (UPDATE dispatches SET offer_expires_at = now() - interval '1 second' WHERE request_id = '\(unanswered)' RETURNING 1) SELECT count(*) FROM x"
            )
            let moved = try await harness.database.withClient { client in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<2 { group.addTask { try await DispatchSweeper(client: client, logger: .test).sweep() } }
                    return try await group.reduce(0, +)
                }
            }
            #expect(moved == 1)
            let holder = try await harness.database.withClient { client in
                try await client.query("SELECT holder FROM dispatches WHERE request_id = \(unanswered)", logger: .test).decode(UUID?.self)
                    .collectAll().first ?? nil
            }
            #expect(holder == expectedHolder)
        }
        #expect(
            try await harness.events("matching.request.unassigned").first?["requestId"]?.stringValue == unanswered.uuidString.lowercased())
        #expect(try await harness.events("matching.request.offered").count == 4)
        #expect(try await harness.events("matching.request.assigned").count == 1)
        #expect(try await harness.events("matching.task.completed").first?["hours"] == .number(1.5))
        #expect(!"\(try await harness.events("matching.request.offered"))".contains("志愿者"))
    }

    @Test func nobodySuitableMeansUnassignedForTheDispatcherAndACancellationReleasesIt() async throws {
        let harness = try await RosterPlanningTests.create()
        let lonely = UUID()
        let cancelled = UUID()
        _ = try await harness.database.withClient { client in
            let consumer = DispatchConsumer(endpoints: ServiceHarness.unusedBus, client: client, logger: .test)
            return try await client.transaction(logger: .test) { connection in
                try await consumer.apply(
                    Self.event(
                        "intake.request.created",
                        [
                            "requestId": .string(lonely.uuidString), "compound": .string("320505-001-001-01"),
                            "category": .string("psychological-support"), "urgency": .string("urgent"),
                        ]), on: connection)
                try await consumer.apply(
                    Self.event(
                        "intake.request.created",
                        [
                            "requestId": .string(cancelled.uuidString), "compound": .string("320505-001-001-01"),
                            "category": .string("groceries"), "urgency": .string("normal"),
                        ]), on: connection)
                try await consumer.apply(
                    Self.event("intake.request.cancelled", ["requestId": .string(cancelled.uuidString)]), on: connection)
            }
        }
        // Nobody in the fixture is available now: both requests were unassigned at once.
        let unassigned = try await harness.events("matching.request.unassigned")
        #expect(
            Set(unassigned.compactMap { $0["requestId"]?.stringValue }) == [
                lonely.uuidString.lowercased(), cancelled.uuidString.lowercased(),
            ])
        #expect(
            try await harness.database.scalar("SELECT status FROM dispatches WHERE request_id = \(cancelled)", as: String.self)
                == "cancelled")
        try await harness.run { client in
            let board = try await client.send(.get, "/v1/dispatch-board", token: Self.dispatcher).json.arrayValue
            #expect(board.map { $0["requestId"]?.stringValue } == [lonely.uuidString.lowercased()], "a cancelled request leaves the board")
            #expect(board.first?["status"] == .string("unassigned"))
        }
    }

    /// Sets when `volunteer` says they are free: now (`true`) or only in the past.
    static func available(_ volunteer: UUID, _ now: Bool, _ harness: ServiceHarness) async throws {
        let window =
            now
            ? #"[{"from":"2020-01-01T00:00:00Z","to":"2099-01-01T00:00:00Z"}]"#
            : #"[{"from":"2020-01-01T00:00:00Z","to":"2020-01-02T00:00:00Z"}]"#
        _ = try await harness.count(
            "WITH x AS (UPDATE volunteers SET availability = '\(window)'::jsonb WHERE id = '\(volunteer)' RETURNING 1) SELECT count(*) FROM x"
        )
    }

    @Test func theDispatcherOffersAnUnassignedRequestAgainToWhoeverIsEligibleNow() async throws {
        let harness = try await RosterPlanningTests.create()
        let people = try await Self.volunteers(harness)
        // Only people[0] can take the run: people[1] is not free now, people[3] neither yet.
        try await Self.available(people[1], false, harness)
        let request = UUID()
        try await OffDutyDispatchTests.created(request, harness)
        let path = "/v1/dispatches/\(request)/reoffer"
        try await harness.run { client in
            let offering = try await client.send(.post, path, token: Self.dispatcher, json: Body([:]))
            #expect(offering.status == .conflict, "someone holds the offer")
            #expect(offering.json["detail"]?.stringValue?.contains("offering") == true)
            let declined = try await client.send(
                .post, "/v1/dispatches/\(request)/decline", token: Self.dispatcher,
                json: Body(["volunteerId": .string(people[0].uuidString)]))
            #expect(declined.json["status"] == .string("unassigned"))
        }
        // people[0] went home; still nobody else: the dispatcher is told so, with a 200.
        try await Self.available(people[0], false, harness)
        try await harness.run { client in
            let nobody = try await client.send(.post, path, token: Self.dispatcher)
            #expect(nobody.status == .ok)
            #expect(nobody.json["status"] == .string("unassigned") && nobody.json["holder"] == nil)
        }
        // people[3] comes on duty: the next re-offer reaches them, once for a retried key.
        try await Self.available(people[3], true, harness)
        try await harness.run { client in
            let otherStreet = ServiceHarness.token(.dispatcher, "320505-002", subject: "dispatcher-2")
            #expect(try await client.send(.post, path, token: otherStreet, json: Body([:])).status == .notFound)
            #expect(try await client.send(.post, path, token: OwnViewTests.phone(people[3]), json: Body([:])).status == .forbidden)
            let array = try await client.execute(
                uri: path, method: .post, headers: [.contentType: "application/json", .authorization: "Bearer \(Self.dispatcher)"],
                body: ByteBuffer(string: "[]"))
            #expect(array.status == .badRequest, "the body is empty or {}")

            let again = try await client.send(.post, path, token: Self.dispatcher, idempotencyKey: "reoffer-1", json: Body([:]))
            #expect(again.status == .ok)
            #expect(again.json["requestId"]?.stringValue == request.uuidString.lowercased())
            #expect(again.json["status"] == .string("offering"))
            #expect(again.json["holder"]?.stringValue == people[3].uuidString.lowercased())
            let retried = try await client.send(.post, path, token: Self.dispatcher, idempotencyKey: "reoffer-1", json: Body([:]))
            #expect(retried.status == .ok && retried.json == again.json)

            let phone = OwnViewTests.phone(people[3])
            let offers = try await client.send(.get, "/v1/me/offers", token: phone).json.arrayValue
            #expect(offers.map { $0["requestId"]?.stringValue } == [request.uuidString.lowercased()])
            let accepted = try await client.send(.post, "/v1/dispatches/\(request)/accept", token: phone, json: Body([:]))
            #expect(accepted.json["status"] == .string("assigned"))
            #expect(try await client.send(.post, path, token: Self.dispatcher, json: Body([:])).status == .conflict, "it is assigned")
        }
        #expect(
            try await harness.database.scalar(
                "SELECT deadline_at > now() + interval '14 minutes' FROM dispatches WHERE request_id = \(request)", as: Bool.self) == true,
            "a fresh window")
        #expect(
            try await harness.count(
                "SELECT count(*)::int FROM dispatch_history WHERE request_id = '\(request)' AND event = 'reoffered' AND note = 'dispatcher-1'"
            )
                == 2)
        let offered = try await harness.events("matching.request.offered").compactMap { $0["volunteerId"]?.stringValue }
        #expect(offered == [people[0], people[3]].map { $0.uuidString.lowercased() })
        #expect(try await harness.events("matching.request.unassigned").count == 2)
        #expect(try await harness.events("matching.request.assigned").count == 1)
    }
}
