import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// Issue 14: a street's staff cannot hang a recruitment call or a team on another street's
/// organization, and the refusal does not tell them whether that organization exists; the list
/// they pick from holds exactly the organizations they may name.
@Suite struct OrganizationScopeTests {
    static let staffA = IntakeHarness.token(.staff, "320505-001", subject: "shishan-staff")
    static let staffB = IntakeHarness.token(.staff, "320505-002", subject: "hengtang-staff")

    static func organization(_ client: any TestClientProtocol, token: String, area: String, name: String) async throws -> String {
        let created = try await client.send(
            .post, "/v1/organizations", token: token,
            json: Body([
                "kind": .string("social-work-station"), "name": .string(name), "area": .string(area),
            ]))
        #expect(created.status == .created)
        return try #require(created.json["id"]?.stringValue)
    }

    static func call(_ organization: String, area: String = "320505-001") -> Body {
        Body([
            "organizationId": .string(organization), "area": .string(area), "title": .string("核酸采样志愿者招募令"),
            "roles": .array([.string("registration")]), "headcount": .number(10),
            "deadline": .string(Timestamp.format(Date().addingTimeInterval(86_400))),
        ])
    }

    static func team(_ organization: String, area: String = "320505-001-001") -> Body {
        Body(["organizationId": .string(organization), "name": .string("健步队"), "area": .string(area)])
    }

    @Test func aCallOrTeamUnderAnotherStreetsOrganizationIsRefusedLikeAnUnknownOne() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let own = try await Self.organization(client, token: Self.staffA, area: "320505-001", name: "狮山社工站")
            let other = try await Self.organization(client, token: Self.staffB, area: "320505-002", name: "横塘社工站")
            let unknown = UUID().uuidString

            let crossCall = try await client.send(.post, "/v1/recruitment-calls", token: Self.staffA, json: Self.call(other))
            let unknownCall = try await client.send(.post, "/v1/recruitment-calls", token: Self.staffA, json: Self.call(unknown))
            #expect(crossCall.status == .unprocessableContent)
            #expect(
                crossCall.json["errors"] == unknownCall.json["errors"] && crossCall.json["title"] == unknownCall.json["title"],
                "an out-of-scope organization reads as an unknown one")
            #expect(crossCall.json["errors"].arrayValue.first?["field"] == .string("organizationId"))

            let crossTeam = try await client.send(.post, "/v1/teams", token: Self.staffA, json: Self.team(other))
            let unknownTeam = try await client.send(.post, "/v1/teams", token: Self.staffA, json: Self.team(unknown))
            #expect(crossTeam.status == .unprocessableContent)
            #expect(unknownTeam.status == .unprocessableContent)
            #expect(crossTeam.json["errors"] == unknownTeam.json["errors"] && crossTeam.json["title"] == unknownTeam.json["title"])
            #expect(crossTeam.json["errors"].arrayValue.first?["field"] == .string("organizationId"))

            // Their own organization, and a team without one, still work; a district operator may use either street's.
            #expect(try await client.send(.post, "/v1/recruitment-calls", token: Self.staffA, json: Self.call(own)).status == .created)
            #expect(try await client.send(.post, "/v1/teams", token: Self.staffA, json: Self.team(own)).status == .created)
            #expect(
                try await client.send(
                    .post, "/v1/teams", token: Self.staffA, json: Body(["name": .string("狮山突击队"), "area": .string("320505-001")])
                ).status == .created)
            let district = IntakeHarness.token(.operator, "320505")
            #expect(
                try await client.send(.post, "/v1/recruitment-calls", token: district, json: Self.call(other, area: "320505-002")).status
                    == .created)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM recruitment_calls") == 2)
        #expect(try await harness.count("SELECT count(*)::int FROM teams WHERE organization_id IS NOT NULL") == 1)
        #expect(
            try await harness.count(
                "SELECT count(*)::int FROM recruitment_calls c JOIN organizations o ON o.id = c.organization_id WHERE o.area = '320505-002' AND c.area = '320505-001'"
            ) == 0)
    }

    @Test func theListShowsTheOrganizationsOfTheCallersAreaByAreaThenName() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            // Registered out of order, so the answer's order is the list's own. Digits lead the
            // names so that they sort alike under any collation.
            let district = IntakeHarness.token(.operator, "320505")
            let second = try await Self.organization(client, token: district, area: "320505-001", name: "2号社工站")
            let elsewhere = try await Self.organization(client, token: Self.staffB, area: "320505-002", name: "横塘社工站")
            let community = try await Self.organization(client, token: Self.staffA, area: "320505-001-001", name: "和平社区居委会")
            let first = try await Self.organization(client, token: Self.staffA, area: "320505-001", name: "1号社工站")

            let listed = try await client.send(.get, "/v1/organizations", token: Self.staffA)
            #expect(listed.status == .ok)
            let items = listed.json["items"]?.arrayValue ?? []
            #expect(items.compactMap { $0["id"]?.stringValue } == [first, second, community])
            #expect(items.first?["name"] == .string("1号社工站"))
            #expect(items.first?["kind"] == .string("social-work-station"))
            #expect(items.first?["area"] == .string("320505-001"))
            #expect(items.first?["createdAt"]?.stringValue != nil)

            // The other street sees only its own; a street with none sees none; an operator without area sees all.
            let other = try await client.send(.get, "/v1/organizations", token: Self.staffB)
            #expect(other.json["items"]?.arrayValue.compactMap { $0["id"]?.stringValue } == [elsewhere])
            let empty = try await client.send(.get, "/v1/organizations", token: IntakeHarness.token(.staff, "320115-001"))
            #expect(empty.status == .ok)
            #expect(empty.json["items"]?.arrayValue.isEmpty == true)
            let all = try await client.send(.get, "/v1/organizations", token: IntakeHarness.token(.operator, nil))
            #expect(all.json["items"]?.arrayValue.compactMap { $0["id"]?.stringValue } == [first, second, community, elsewhere])

            #expect(try await client.send(.get, "/v1/organizations").status == .unauthorized)
            let dispatcher = IntakeHarness.token(.dispatcher, "320505-001")
            #expect(try await client.send(.get, "/v1/organizations", token: dispatcher).status == .forbidden)
        }
    }
}
