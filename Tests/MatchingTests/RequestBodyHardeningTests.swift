import Foundation
import HTTPTypes
import HummingbirdTesting
import Models
import NIOCore
import ServiceKit
import TestSupport
import Testing

@testable import Matching

/// Issue 14, through matching's HTTP API: a post's required skills are stored as they come,
/// and U+0000 among them reached PostgreSQL as a 500. It is a 400 now, and nothing is written.
@Suite struct RequestBodyHardeningTests {
    @Test func aPostsRequiredSkillWithAControlCharacterIsRefused() async throws {
        let harness = try await RosterPlanningTests.create()
        try await harness.run { client in
            let text = #"{"name":"和平苑核酸点","area":"320505-001-001-01","role":"registration","requiredSkills":["driving","medical\u0000"]}"#
            let refused = try await client.execute(
                uri: "/v1/posts", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(RosterPlanningTests.staff)"],
                body: ByteBuffer(string: text)
            )
            #expect(refused.status == .badRequest)
            #expect(refused.json["errors"].arrayValue.first?["field"]?.stringValue == "requiredSkills/1")
        }
        #expect(try await harness.count("SELECT count(*)::int FROM posts") == 0)
    }
}
