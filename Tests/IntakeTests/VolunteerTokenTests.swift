import Foundation
import HTTPTypes
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

/// Station staff issue a verified volunteer's phone token at vetting and take it back; a
/// volunteer taken off duty loses theirs without anyone asking.
@Suite struct VolunteerTokenTests {
    static let staff = IntakeHarness.token(.staff, "320505-001", subject: "station-staff")

    static func issue(_ client: any TestClientProtocol, _ volunteer: String, token: String = staff, days: Int? = nil) async throws
        -> TestResponse
    {
        try await client.send(
            .post, "/v1/volunteers/\(volunteer)/tokens", token: token, json: Body(days.map { ["days": .number(Double($0))] } ?? [:]))
    }

    /// What a volunteer's token is answered on a volunteer's endpoint: 404 for a task they do
    /// not hold when the token is good, 401 when it is not.
    static func probe(_ client: any TestClientProtocol, _ token: String) async throws -> HTTPResponse.Status {
        try await client.send(.get, "/v1/requests/\(UUID())/task", token: token).status
    }

    @Test func staffIssueAVerifiedVolunteerATokenThatWorksAsTheirs() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await VolunteerTests.openCall(client)
            let verified = try await TeamTests.volunteer(client, call: call, sequence: 41, verify: true)
            let pending = try await TeamTests.volunteer(client, call: call, sequence: 42, verify: false)

            let issued = try await Self.issue(client, verified, days: 7)
            #expect(issued.status == .created)
            #expect(issued.headers[.cacheControl] == "no-store")
            #expect(issued.json["volunteerId"]?.stringValue == verified)
            let token = try #require(issued.json["token"]?.stringValue)
            let expires = try #require(issued.json["expiresAt"]?.stringValue.flatMap(Timestamp.parse))
            #expect(abs(expires.timeIntervalSinceNow - 7 * 86_400) < 120)
            let access = try TokenSigner(secret: IntakeHarness.secret).verify(token)
            #expect(access.role == .volunteer && access.subject == verified && access.area?.rawValue == "320505-001-001")
            #expect(access.issuedAt != nil)

            #expect(try await Self.probe(client, token) == .notFound)
            #expect(try await client.send(.get, "/v1/volunteers", token: token).status == .forbidden, "a volunteer, not staff")

            #expect(try await Self.issue(client, pending).status == .conflict, "only a verified volunteer gets a token")
            let elsewhere = IntakeHarness.token(.staff, "320505-002", subject: "other-street")
            #expect(try await Self.issue(client, verified, token: elsewhere).status == .notFound)
            #expect(try await Self.issue(client, verified, token: token).status == .forbidden, "a volunteer does not issue tokens")
            #expect(try await Self.issue(client, UUID().uuidString).status == .notFound)
            #expect(try await Self.issue(client, verified, days: 365).status == .unprocessableContent)
            let bodiless = try await client.send(.post, "/v1/volunteers/\(verified)/tokens", token: Self.staff)
            #expect(bodiless.status == .created, "no body: the default 30 days")
            let thirty = try #require(bodiless.json["expiresAt"]?.stringValue.flatMap(Timestamp.parse))
            #expect(abs(thirty.timeIntervalSinceNow - 30 * 86_400) < 120)
            #expect(try await client.send(.post, "/v1/volunteers/\(verified)/tokens", token: Self.staff, json: "[").status == .badRequest)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM volunteer_token_log WHERE action = 'issued'") == 2)
        #expect(
            try await harness.count("SELECT count(*)::int FROM idempotency_keys WHERE convert_from(body, 'UTF8') LIKE '%sw1.%'") == 0,
            "the token is stored nowhere")
    }

    @Test func aRevokedTokenIsRefusedAndATokenIssuedAfterwardsWorks() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await VolunteerTests.openCall(client)
            let volunteer = try await TeamTests.volunteer(client, call: call, sequence: 43, verify: true)
            let lost = try #require(try await Self.issue(client, volunteer).json["token"]?.stringValue)
            // Signed before tokens carried their issue time: still good until revoked.
            let old = try TokenSigner(secret: IntakeHarness.secret).issue(
                AccessToken(
                    subject: volunteer, role: .volunteer, area: AreaCode("320505-001-001"), expiresAt: Date().addingTimeInterval(3600)))
            #expect(try await Self.probe(client, old) == .notFound)

            let elsewhere = IntakeHarness.token(.staff, "320505-002", subject: "other-street")
            #expect(try await client.send(.delete, "/v1/volunteers/\(volunteer)/tokens", token: elsewhere).status == .notFound)
            let revoked = try await client.send(.delete, "/v1/volunteers/\(volunteer)/tokens", token: Self.staff)
            #expect(revoked.status == .ok)
            #expect(revoked.json["revokedBefore"]?.stringValue != nil)
            for token in [lost, old] {
                let refused = try await client.send(.get, "/v1/requests/\(UUID())/task", token: token)
                #expect(refused.status == .unauthorized)
                #expect(refused.json["detail"]?.stringValue?.contains("revoked") == true)
            }
            let replacement = try #require(try await Self.issue(client, volunteer).json["token"]?.stringValue)
            #expect(try await Self.probe(client, replacement) == .notFound)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM token_revocations WHERE role = 'volunteer'") == 1)
        #expect(try await harness.count("SELECT count(*)::int FROM volunteer_token_log WHERE action = 'revoked'") == 1)
    }

    @Test func aSuspendedVolunteersTokensAreRevokedWithinSeconds() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await VolunteerTests.openCall(client)
            let volunteer = try await TeamTests.volunteer(client, call: call, sequence: 44, verify: true)
            let token = try #require(try await Self.issue(client, volunteer).json["token"]?.stringValue)
            #expect(try await Self.probe(client, token) == .notFound)
            let suspended = try await client.send(
                .post, "/v1/volunteers/\(volunteer)/vetting", token: Self.staff,
                json: Body(["action": .string("suspend"), "reason": .string("reported a fever")]))
            #expect(suspended.json["status"] == .string("suspended"))
            #expect(
                try await eventually(timeout: .seconds(10)) {
                    try await Self.probe(client, token) == .unauthorized
                })
            #expect(try await Self.issue(client, volunteer).status == .conflict, "no token while suspended")
            let reinstated = try await client.send(
                .post, "/v1/volunteers/\(volunteer)/vetting", token: Self.staff,
                json: Body(["action": .string("reinstate"), "reason": .string("negative test, no fever")]))
            #expect(reinstated.json["status"] == .string("verified"))
            let fresh = try #require(try await Self.issue(client, volunteer).json["token"]?.stringValue)
            try await Task.sleep(for: .seconds(3))
            #expect(try await Self.probe(client, fresh) == .notFound, "issued after reinstatement")
            #expect(try await Self.probe(client, token) == .unauthorized)
        }
    }
}
