import Foundation
import HTTPTypes
import HummingbirdTesting
import Models
import NIOCore
import ServiceKit
import TestSupport
import Testing

@testable import Outreach

/// Issue 14, through outreach's HTTP API: free-form and unvalidated members that once
/// reached PostgreSQL with U+0000 (a 500) or nested 500 deep (an escalation's empty case
/// history). Each is a 400 now, and nothing is written.
@Suite struct RequestBodyHardeningTests {
    static func sendRaw(_ client: any TestClientProtocol, _ uri: String, token: String, _ text: String) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: .post, headers: [.contentType: "application/json", .authorization: "Bearer \(token)"],
            body: ByteBuffer(string: text)
        )
    }

    static func fields(_ response: TestResponse) -> [String] {
        response.json["errors"].arrayValue.compactMap { $0["field"]?.stringValue }
    }

    @Test func aVisitsAssessmentWithAControlCharacterOrNestedWithoutEndIsRefused() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            let resident = try #require(try await CampaignTests.register(client, count: 1).first)
            let uri = "/v1/residents/\(resident)/visits"
            let nul = try await Self.sendRaw(client, uri, token: CampaignTests.caller1, #"{"assessment":{"living":"alone\u0000"}}"#)
            #expect(nul.status == .badRequest)
            #expect(Self.fields(nul) == ["assessment/living"])
            let deep = String(repeating: #"{"x":"#, count: 500) + "1" + String(repeating: "}", count: 500)
            let nested = try await Self.sendRaw(client, uri, token: CampaignTests.caller1, #"{"assessment":\#(deep)}"#)
            #expect(nested.status == .badRequest)
            #expect(Self.fields(nested).first?.hasPrefix("assessment/x/x") == true)
            let fine = try await Self.sendRaw(
                client, uri, token: CampaignTests.caller1, #"{"assessment":{"living":"alone","risk":{"falls":["stairs"]}}}"#)
            #expect(fine.status == .created)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM outreach_visits") == 1)
    }

    @Test func aCampaignsCallersWithAControlCharacterAreRefused() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            _ = try await CampaignTests.register(client, count: 2)
            let refused = try await Self.sendRaw(
                client, "/v1/campaigns", token: OutreachHarness.staff,
                #"{"title":"排查","area":"320505-001","callers":["caller-1","caller\u0000-2"]}"#
            )
            #expect(refused.status == .badRequest)
            #expect(Self.fields(refused) == ["callers/1"])
        }
        #expect(try await harness.count("SELECT count(*)::int FROM outreach_campaigns") == 0)
    }
}
