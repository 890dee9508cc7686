import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// Recruitment calls, sign-up, vetting, masking and scope, against a real database.
@Suite struct VolunteerTests {
    static let staff = IntakeHarness.token(.staff, "320505-001")

    /// An organization and an open call in street 320505-001; returns the call's id.
    static func openCall(_ client: any TestClientProtocol, area: String = "320505-001") async throws -> String {
        let organization = try await client.send(
            .post, "/v1/organizations", token: staff,
            json: Body([
                "kind": .string("social-work-station"), "name": .string("狮山社工站"), "area": .string("320505-001"),
            ]))
        #expect(organization.status == .created)
        let call = try await client.send(
            .post, "/v1/recruitment-calls", token: IntakeHarness.token(.operator, nil),
            json: Body([
                "organizationId": organization.json["id"]!, "area": .string(area), "title": .string("核酸采样志愿者招募令"),
                "roles": .array([.string("registration"), .string("queue-order")]), "headcount": .number(20),
                "deadline": .string(Timestamp.format(Date().addingTimeInterval(86_400))),
            ]))
        #expect(call.status == .created)
        return call.json["id"]!.stringValue!
    }

    @Test func aSignUpIsStoredPendingAnnouncedWithoutPersonalDataAndCounted() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await Self.openCall(client)
            let response = try await client.send(.post, "/v1/recruitment-calls/\(call)/sign-ups", json: Fixtures.signUp(sequence: 1))
            #expect(response.status == .accepted)
            #expect(response.json["status"] == .string("received"))
            let page = try await client.send(.get, "/v1/recruitment-calls/\(call)")
            #expect(page.json["signUps"]?.intValue == 1)
            #expect(page.json["headcount"]?.intValue == 20)
        }
        let events = try await harness.events("intake.volunteer.registered")
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event["community"] == .string("320505-001-001"))
        #expect(event["eligible"] == .bool(false))
        let text = "\(event)"
        #expect(!text.contains("13900000001") && !text.contains("测试志愿者") && !text.contains("19680512"))
    }

    @Test func invalidFieldsAreListedOneByOneAndNothingIsWritten() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await Self.openCall(client)
            var form = Fixtures.signUp(sequence: 2).value
            if case .object(var members) = form {
                members["mobile"] = .string("12345")
                members["idNumber"] = .string("320505196805121232")
                members["homeCommunity"] = .string("320505-001")
                members["health"] = .object([
                    "symptoms": .bool(false), "healthCode": .string("purple"), "temperature": .number(50), "vaccinated": .bool(true),
                ])
                form = .object(members)
            }
            let response = try await client.send(.post, "/v1/recruitment-calls/\(call)/sign-ups", json: Body(form.objectValue))
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let fields = Set((response.json["errors"].arrayValue).compactMap { $0["field"]?.stringValue })
            #expect(fields == ["mobile", "idNumber", "homeCommunity", "health/healthCode", "health/temperature"])
        }
        #expect(try await harness.count("SELECT count(*)::int FROM volunteers") == 0)
        #expect(try await harness.count("SELECT count(*)::int FROM outbox WHERE topic LIKE 'intake.volunteer.%'") == 0)
    }

    @Test func signingUpOutsideOnesOwnDistrictIsRefusedWithTheReason() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await Self.openCall(client)
            let response = try await client.send(
                .post, "/v1/recruitment-calls/\(call)/sign-ups", json: Fixtures.signUp(sequence: 3, community: "320115-001-001")
            )
            #expect(response.status == .unprocessableContent)
            let message = response.json["errors"].arrayValue.first?["message"]?.stringValue ?? ""
            #expect(message.contains("own district"))
        }
        #expect(try await harness.count("SELECT count(*)::int FROM volunteers") == 0)
    }

    @Test func theSameIDNumberCannotRegisterTwiceAndTheDesksAnswerPointsToTheFirst() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await Self.openCall(client)
            let first = try await client.send(
                .post, "/v1/recruitment-calls/\(call)/sign-ups", token: Self.staff, json: Fixtures.signUp(sequence: 4))
            let second = try await client.send(
                .post, "/v1/recruitment-calls/\(call)/sign-ups", token: Self.staff, json: Fixtures.signUp(sequence: 4))
            #expect(first.status == .created)
            #expect(second.status == .conflict)
            #expect(second.json["related"]?.stringValue == "/v1/volunteers/\(first.json["id"]!.stringValue!)")
        }
        #expect(try await harness.count("SELECT count(*)::int FROM volunteers") == 1)
    }

    @Test func vettingFollowsTheRulesAndOnlyVerifiedTrainedInsuredIsEligible() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await Self.openCall(client)
            let id = try await client.send(
                .post, "/v1/recruitment-calls/\(call)/sign-ups", token: Self.staff, json: Fixtures.signUp(sequence: 5)
            ).json["id"]!.stringValue!
            func vet(_ action: String, reason: String? = nil) async throws -> TestResponse {
                var body: [String: JSONValue] = ["action": .string(action)]
                if let reason { body["reason"] = .string(reason) }
                return try await client.send(.post, "/v1/volunteers/\(id)/vetting", token: Self.staff, json: Body(body))
            }
            #expect(try await vet("suspend", reason: "fever").status == .conflict)  // not verified yet
            #expect(try await vet("verify").json["eligible"] == .bool(false))
            #expect(try await vet("record-training").json["eligible"] == .bool(false))
            #expect(try await vet("record-insurance").json["eligible"] == .bool(true))
            #expect(try await vet("suspend").status == .conflict)  // a reason is required
            #expect(try await vet("suspend", reason: "reported a cough").json["status"] == .string("suspended"))
            #expect(try await vet("reinstate").json["eligible"] == .bool(true))
            let detail = try await client.send(.get, "/v1/volunteers/\(id)", token: Self.staff)
            #expect(
                detail.json["history"].arrayValue.map { $0["action"]?.stringValue } == [
                    "sign-up", "verify", "record-training", "record-insurance", "suspend", "reinstate",
                ])
        }
        #expect(try await harness.events("intake.volunteer.verified").count == 1)
        #expect(try await harness.events("intake.volunteer.suspended").first?["eligible"] == .bool(false))
        #expect(try await harness.events("intake.volunteer.reinstated").first?["eligible"] == .bool(true))
    }

    @Test func listsMaskMobileAndIDNumbersAndAStreetSeesOnlyItsOwnPeople() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let callHere = try await Self.openCall(client)
            let callThere = try await Self.openCall(client, area: "320505-002")
            _ = try await client.send(.post, "/v1/recruitment-calls/\(callHere)/sign-ups", json: Fixtures.signUp(sequence: 6))
            let other = try await client.send(
                .post, "/v1/recruitment-calls/\(callThere)/sign-ups", token: IntakeHarness.token(.staff, "320505-002"),
                json: Fixtures.signUp(sequence: 7, community: "320505-002-001")
            )
            let list = try await client.send(.get, "/v1/volunteers", token: Self.staff)
            #expect(list.status == .ok)
            let items = list.json["items"].arrayValue
            #expect(items.count == 1)
            #expect(items.first?["mobile"] == .string("139****0006"))
            #expect(items.first?["idNumber"]?.stringValue?.contains("********") == true)
            #expect(!String(buffer: list.body).contains("13900000006"))
            // Another street's volunteer: not listed, not readable, not even admitted to exist.
            let otherID = other.json["id"]!.stringValue!
            #expect(try await client.send(.get, "/v1/volunteers/\(otherID)", token: Self.staff).status == .notFound)
            #expect(try await client.send(.get, "/v1/volunteers?area=320505-002", token: Self.staff).status == .forbidden)
            #expect(
                try await client.send(
                    .post, "/v1/volunteers/\(otherID)/vetting", token: Self.staff, json: Body(["action": .string("verify")])
                ).status == .notFound)
            // No token, no list.
            #expect(try await client.send(.get, "/v1/volunteers").status == .unauthorized)
        }
    }

    @Test func listsPageWithAKeysetCursor() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await Self.openCall(client)
            for sequence in 10..<15 {
                _ = try await client.send(
                    .post, "/v1/recruitment-calls/\(call)/sign-ups", json: Fixtures.signUp(sequence: sequence),
                    headers: [.init("X-Forwarded-For")!: "10.0.0.\(sequence)"])
            }
            let first = try await client.send(.get, "/v1/volunteers?limit=3", token: Self.staff)
            let next = try #require(first.json["next"]?.intValue)
            let second = try await client.send(.get, "/v1/volunteers?limit=3&after=\(next)", token: Self.staff)
            #expect(first.json["items"].arrayValue.count == 3)
            #expect(second.json["items"].arrayValue.count == 2)
            #expect(second.json["next"] == nil)
            let ids = (first.json["items"].arrayValue + second.json["items"].arrayValue).compactMap { $0["id"]?.stringValue }
            #expect(Set(ids).count == 5)
        }
    }
}
