import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// Recruitment calls edited and closed, and their headcount shown and, when asked, enforced.
@Suite struct RecruitmentCallTests {
    static let staff = VolunteerTests.staff

    @Test func aCallIsEditedThenClosedAndAClosedCallTakesNoSignUp() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await VolunteerTests.openCall(client)
            let edited = try await client.send(
                .patch, "/v1/recruitment-calls/\(call)", token: Self.staff,
                json: Body(["title": .string("核酸采样志愿者招募令（延长）"), "headcount": .number(40)]))
            #expect(edited.status == .ok)
            #expect(edited.json["headcount"]?.intValue == 40)
            #expect(edited.json["roles"]?.arrayValue.count == 2)
            let page = try await client.send(.get, "/v1/recruitment-calls/\(call)")
            #expect(page.json["title"] == .string("核酸采样志愿者招募令（延长）"))
            #expect(
                try await client.send(.patch, "/v1/recruitment-calls/\(call)", token: Self.staff, json: Body([:])).status
                    == .unprocessableContent)
            // Another street's staff neither edit nor close it.
            let elsewhere = IntakeHarness.token(.staff, "320505-002")
            #expect(try await client.send(.post, "/v1/recruitment-calls/\(call)/close", token: elsewhere).status == .notFound)
            let closed = try await client.send(.post, "/v1/recruitment-calls/\(call)/close", token: Self.staff)
            #expect(closed.status == .ok)
            #expect(closed.json["open"] == .bool(false))
            #expect(closed.json["closedAt"]?.stringValue != nil)
            let late = try await client.send(.post, "/v1/recruitment-calls/\(call)/sign-ups", json: Fixtures.signUp(sequence: 21))
            #expect(late.status == .conflict)
            #expect(late.json["title"] == .string("Call closed"))
            #expect(
                try await client.send(.patch, "/v1/recruitment-calls/\(call)", token: Self.staff, json: Body(["headcount": .number(5)]))
                    .status == .conflict)
            #expect(try await client.send(.post, "/v1/recruitment-calls/\(call)/close", token: Self.staff).status == .conflict)
        }
        #expect(try await harness.events("intake.call.updated").first?["headcount"]?.intValue == 40)
        #expect(try await harness.events("intake.call.closed").first?["closedAt"]?.stringValue != nil)
        #expect(try await harness.count("SELECT count(*)::int FROM volunteers") == 0)
    }

    @Test func anEnforcedHeadcountStopsSignUpsWhenThePlacesAreTaken() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await VolunteerTests.openCall(client)
            let enforce = try await client.send(
                .patch, "/v1/recruitment-calls/\(call)", token: Self.staff,
                json: Body(["headcount": .number(2), "enforceHeadcount": .bool(true)]))
            #expect(enforce.json["enforceHeadcount"] == .bool(true))
            for sequence in [31, 32] {
                let signUp = try await client.send(
                    .post, "/v1/recruitment-calls/\(call)/sign-ups", json: Fixtures.signUp(sequence: sequence))
                #expect(signUp.status == .accepted)
            }
            let full = try await client.send(.post, "/v1/recruitment-calls/\(call)/sign-ups", json: Fixtures.signUp(sequence: 33))
            #expect(full.status == .conflict)
            #expect(full.json["title"] == .string("Call full"))
            let page = try await client.send(.get, "/v1/recruitment-calls/\(call)")
            #expect(page.json["placesTaken"]?.intValue == 2)
            #expect(page.json["headcount"]?.intValue == 2)
            #expect(page.json["open"] == .bool(false))
            // Not enforced, the headcount is only shown: a third sign-up is taken.
            _ = try await client.send(
                .patch, "/v1/recruitment-calls/\(call)", token: Self.staff, json: Body(["enforceHeadcount": .bool(false)]))
            let third = try await client.send(.post, "/v1/recruitment-calls/\(call)/sign-ups", json: Fixtures.signUp(sequence: 33))
            #expect(third.status == .accepted)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM volunteers") == 3)
    }

    @Test func concurrentSignUpsNeverOverfillAnEnforcedHeadcount() async throws {
        let harness = try await IntakeHarness.create()
        let statuses = Recorder<Int>()
        try await harness.run { client in
            let call = try await VolunteerTests.openCall(client)
            _ = try await client.send(
                .patch, "/v1/recruitment-calls/\(call)", token: Self.staff,
                json: Body(["headcount": .number(3), "enforceHeadcount": .bool(true)]))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sequence in 40..<48 {
                    group.addTask {
                        let answer = try await client.send(
                            .post, "/v1/recruitment-calls/\(call)/sign-ups", token: Self.staff, json: Fixtures.signUp(sequence: sequence))
                        statuses.append(contentsOf: [Int(answer.status.code)])
                    }
                }
                try await group.waitForAll()
            }
        }
        #expect(statuses.all.filter { $0 == 201 }.count == 3)
        #expect(statuses.all.filter { $0 == 409 }.count == 5)
        #expect(try await harness.count("SELECT count(*)::int FROM volunteers") == 3)
    }

    @Test func theListShowsTheCallsOfTheCallersAreaNewestFirstWithTheirCounts() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let first = try await VolunteerTests.openCall(client)
            let second = try await VolunteerTests.openCall(client)
            let elsewhere = try await VolunteerTests.openCall(client, area: "320505-002")
            #expect(
                try await client.send(.post, "/v1/recruitment-calls/\(first)/sign-ups", json: Fixtures.signUp(sequence: 51)).status
                    == .accepted)
            let listed = try await client.send(.get, "/v1/recruitment-calls", token: Self.staff)
            #expect(listed.status == .ok)
            let items = listed.json["items"]?.arrayValue ?? []
            #expect(items.compactMap { $0["id"]?.stringValue } == [second, first])
            #expect(items.last?["signUps"]?.intValue == 1)
            #expect(items.last?["headcount"]?.intValue == 20)
            #expect(items.last?["organizationName"] == .string("狮山社工站"))
            #expect(items.last?["open"] == .bool(true))
            // The operator sees every street's; the other street only its own; nobody else any.
            let all = try await client.send(.get, "/v1/recruitment-calls", token: IntakeHarness.token(.operator, nil))
            #expect(all.json["items"]?.arrayValue.count == 3)
            let other = try await client.send(.get, "/v1/recruitment-calls", token: IntakeHarness.token(.staff, "320505-002"))
            #expect(other.json["items"]?.arrayValue.compactMap { $0["id"]?.stringValue } == [elsewhere])
            #expect(try await client.send(.get, "/v1/recruitment-calls").status == .unauthorized)
            let dispatcher = IntakeHarness.token(.dispatcher, "320505-001")
            #expect(try await client.send(.get, "/v1/recruitment-calls", token: dispatcher).status == .forbidden)
        }
    }
}
