import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// Team rosters and leaders over HTTP, against a real database.
@Suite struct TeamTests {
    static let staff = VolunteerTests.staff

    static func team(_ client: any TestClientProtocol, area: String = "320505-001", token: String = staff) async throws -> String {
        let response = try await client.send(
            .post, "/v1/teams", token: token, json: Body(["name": .string("狮山突击队"), "area": .string(area)]))
        #expect(response.status == .created)
        return try #require(response.json["id"]?.stringValue)
    }

    static func volunteer(_ client: any TestClientProtocol, call: String, sequence: Int, community: String = "320505-001-001", verify: Bool)
        async throws -> String
    {
        // Registered at the station's desk: the desk, unlike the public page, is told the new id.
        let signUp = try await client.send(
            .post, "/v1/recruitment-calls/\(call)/sign-ups", token: IntakeHarness.token(.staff, "320505"),
            json: Fixtures.signUp(sequence: sequence, community: community)
        )
        #expect(signUp.status == .created)
        let id = try #require(signUp.json["id"]?.stringValue)
        if verify {
            let vetted = try await client.send(
                .post, "/v1/volunteers/\(id)/vetting", token: IntakeHarness.token(.operator, nil), json: Body(["action": .string("verify")])
            )
            #expect(vetted.status == .ok)
        }
        return id
    }

    @Test func staffBuildATeamAppointALeaderAndEveryChangeIsAnnounced() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await VolunteerTests.openCall(client)
            let team = try await Self.team(client)
            let leader = try await Self.volunteer(client, call: call, sequence: 11, verify: true)
            let member = try await Self.volunteer(client, call: call, sequence: 12, verify: false)

            let early = try await client.send(
                .put, "/v1/teams/\(team)/leader", token: Self.staff, json: Body(["volunteerId": .string(leader)]))
            #expect(early.status == .conflict, "a leader must be a member first")
            for volunteer in [leader, member] {
                let joined = try await client.send(.put, "/v1/teams/\(team)/members/\(volunteer)", token: Self.staff)
                #expect(joined.status == .ok)
            }
            let pendingLeader = try await client.send(
                .put, "/v1/teams/\(team)/leader", token: Self.staff, json: Body(["volunteerId": .string(member)]))
            #expect(pendingLeader.status == .conflict)
            let appointed = try await client.send(
                .put, "/v1/teams/\(team)/leader", token: Self.staff, json: Body(["volunteerId": .string(leader)]))
            #expect(appointed.status == .ok)
            #expect(appointed.json["leaderId"]?.stringValue == leader)

            let roster = try await client.send(.get, "/v1/teams/\(team)", token: Self.staff)
            #expect(roster.status == .ok)
            let members = roster.json["members"].arrayValue
            #expect(members.compactMap { $0["id"]?.stringValue } == [leader, member])
            #expect(members.first?["leader"] == .bool(true))
            #expect(members.first?["mobile"] == .string("139****0011"))

            // The leader moves to another team: the first is left without a leader.
            let other = try await Self.team(client)
            let moved = try await client.send(.put, "/v1/teams/\(other)/members/\(leader)", token: Self.staff)
            #expect(moved.status == .ok)
            let after = try await client.send(.get, "/v1/teams/\(team)", token: Self.staff)
            #expect(after.json["leaderId"] == nil || after.json["leaderId"] == .null)
            #expect(after.json["members"].arrayValue.count == 1)

            let removed = try await client.send(.delete, "/v1/teams/\(team)/members/\(member)", token: Self.staff)
            #expect(removed.status == .ok)
            #expect(removed.json["members"].arrayValue.isEmpty == true)
            let again = try await client.send(.delete, "/v1/teams/\(team)/members/\(member)", token: Self.staff)
            #expect(again.status == .conflict)
        }
        #expect(try await harness.events("intake.team.member-joined").count == 3)
        #expect(try await harness.events("intake.team.leader-appointed").count == 1)
        let left = try await harness.events("intake.team.member-left")
        #expect(left.map { $0["wasLeader"] } == [.bool(true), .bool(false)])
        #expect(!"\(left)".contains("1390000"))
        #expect(try await harness.count("SELECT count(*) FROM volunteer_history WHERE action LIKE 'team-%'") == 6)
    }

    @Test func teamsRecruitInTheirOwnDistrictAndStayInTheirStreetsScope() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await VolunteerTests.openCall(client)
            let team = try await Self.team(client)
            let operatorToken = IntakeHarness.token(.operator, nil)
            let farCall = try await VolunteerTests.openCall(client, area: "320115-001")
            let far = try await Self.volunteer(client, call: farCall, sequence: 21, community: "320115-001-001", verify: false)
            let crossDistrict = try await client.send(.put, "/v1/teams/\(team)/members/\(far)", token: operatorToken)
            #expect(crossDistrict.status == .unprocessableContent)

            let near = try await Self.volunteer(client, call: call, sequence: 22, verify: false)
            let otherStreet = IntakeHarness.token(.staff, "320505-002")
            #expect(try await client.send(.get, "/v1/teams/\(team)", token: otherStreet).status == .notFound)
            #expect(try await client.send(.put, "/v1/teams/\(team)/members/\(near)", token: otherStreet).status == .notFound)
            #expect(try await client.send(.put, "/v1/teams/\(UUID())/members/\(near)", token: operatorToken).status == .notFound)
        }
        #expect(try await harness.count("SELECT count(*) FROM volunteers WHERE team_id IS NOT NULL") == 0)
    }

    @Test func aDistrictTeamShowsEachStreetOnlyItsOwnMembersAndAWithdrawnLeaderLeaves() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let operatorToken = IntakeHarness.token(.operator, nil)
            let team = try await Self.team(client, area: "320505", token: operatorToken)
            let north = try await Self.volunteer(client, call: try await VolunteerTests.openCall(client), sequence: 31, verify: true)
            let south = try await Self.volunteer(
                client, call: try await VolunteerTests.openCall(client, area: "320505-002"), sequence: 32, community: "320505-002-001",
                verify: true)
            for volunteer in [north, south] {
                #expect(try await client.send(.put, "/v1/teams/\(team)/members/\(volunteer)", token: operatorToken).status == .ok)
            }
            #expect(
                try await client.send(.put, "/v1/teams/\(team)/leader", token: operatorToken, json: Body(["volunteerId": .string(north)]))
                    .status == .ok)
            let replaced = try await client.send(
                .put, "/v1/teams/\(team)/leader", token: operatorToken, json: Body(["volunteerId": .string(south)]))
            #expect(replaced.json["leaderId"]?.stringValue == south)

            #expect(
                try await client.send(.get, "/v1/teams/\(team)", token: Self.staff).status == .notFound,
                "a district's team is not one street's")
            // Moving a member out of a team of another area needs that area's station.
            let streetTeam = try await Self.team(client)
            #expect(try await client.send(.put, "/v1/teams/\(streetTeam)/members/\(north)", token: Self.staff).status == .conflict)
            // Rosters never show people outside the caller's area, even where older data put them in one team.
            _ = try await harness.count(
                "WITH moved AS (UPDATE volunteers SET team_id = '\(streetTeam)' WHERE id = '\(north)' RETURNING 1) SELECT count(*) FROM moved"
            )
            let visitor = try await Self.volunteer(
                client, call: try await VolunteerTests.openCall(client, area: "320505-002"), sequence: 33, community: "320505-002-001",
                verify: false)
            _ = try await harness.count(
                "WITH moved AS (UPDATE volunteers SET team_id = '\(streetTeam)' WHERE id = '\(visitor)' RETURNING 1) SELECT count(*) FROM moved"
            )
            let roster = try await client.send(.get, "/v1/teams/\(streetTeam)", token: Self.staff)
            #expect(roster.json["members"].arrayValue.compactMap { $0["id"]?.stringValue } == [north])
            #expect(roster.json["membersOutsideYourArea"]?.intValue == 1)

            let withdrawn = try await client.send(
                .post, "/v1/volunteers/\(south)/vetting", token: operatorToken, json: Body(["action": .string("withdraw")]))
            #expect(withdrawn.status == .ok)
            let after = try await client.send(.get, "/v1/teams/\(team)", token: operatorToken)
            #expect(after.json["leaderId"] == nil || after.json["leaderId"] == .null)
            #expect(after.json["members"].arrayValue.isEmpty)
        }
        let appointed = try await harness.events("intake.team.leader-appointed")
        #expect(appointed.count == 2)
        #expect(appointed.last?["previousLeaderId"] != nil)
        #expect(try await harness.events("intake.team.member-left").map { $0["wasLeader"] } == [.bool(true)])
    }
}
