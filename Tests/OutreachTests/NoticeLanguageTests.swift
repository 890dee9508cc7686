import Foundation
import HTTPTypes
import HummingbirdTesting
import Models
import PostgresNIO
import ServiceKit
import Store
import TestSupport
import Testing

@testable import Outreach

/// Notices in any dialect by language tag over HTTP: 杭州话, 闽南语 and 四川话 beside Mandarin,
/// the fallback named in the answer, and notices stored under the former names moved to tags.
@Suite struct NoticeLanguageTests {
    static let texts: [String: JSONValue] = [
        "zh": .string("明天上午全员核酸"), "wuu-x-hangzhou": .string("明朝上半日大家都去做核酸"), "nan": .string("明仔载早起逐家去做核酸"),
        "zh-x-sichuan": .string("明天早上大家都切做核酸哈"),
    ]

    @Test func anyWellFormedTagIsWrittenAndAReaderWithoutTheirTextIsToldTheyGotMandarin() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            let created = try await client.send(
                .post, "/v1/notices", token: OutreachHarness.staff,
                json: Body([
                    "title": .string("核酸通知"), "area": .string("320505-001"), "audience": .string("residents"),
                    "variants": .object(Self.texts),
                ]))
            #expect(created.status == .created)
            let notice = try #require(created.json["id"]?.stringValue)
            #expect(try await client.send(.post, "/v1/notices/\(notice)/publish", token: OutreachHarness.staff).status == .ok)

            let hangzhou = try await client.send(.get, "/v1/notices/\(notice)?language=WUU-x-Hangzhou")
            #expect(hangzhou.json["text"] == Self.texts["wuu-x-hangzhou"])
            #expect(hangzhou.json["language"] == .string("wuu-x-hangzhou"))
            #expect(hangzhou.json["fallback"] == .bool(false))
            #expect(hangzhou.headers[.contentLanguage] == "wuu-x-hangzhou")
            #expect(hangzhou.json["languages"] == .array(["nan", "wuu-x-hangzhou", "zh", "zh-x-sichuan"].map(JSONValue.string)))

            let suzhou = try await client.send(.get, "/v1/notices/\(notice)?language=suzhounese")
            #expect(suzhou.json["language"] == .string("zh"))
            #expect(suzhou.json["requested"] == .string("wuu-x-suzhou"))
            #expect(suzhou.json["fallback"] == .bool(true), "the answer says it is not the language asked for")
            #expect(suzhou.headers[.contentLanguage] == "zh")

            let fromPhone = try await client.send(.get, "/v1/notices/\(notice)", headers: [.acceptLanguage: "en;q=0.3, nan-TW;q=0.9"])
            #expect(fromPhone.json["language"] == .string("nan"), "nan-TW falls back to nan")
            #expect(fromPhone.json["requested"] == .string("nan-TW"))
            let illFormed = try await client.send(.get, "/v1/notices/\(notice)?language=zh_CN")
            #expect(illFormed.status == .unprocessableContent)
            #expect(illFormed.json["errors"]?.arrayValue.first?["field"] == .string("language"))

            for (reader, language) in [("r1", "zh-x-sichuan"), ("r2", "yue"), ("r3", "nan-TW"), ("r4", "cmn")] {
                _ = try await client.send(
                    .post, "/v1/notices/\(notice)/reads", json: Body(["reader": .string(reader), "language": .string(language)]))
            }
            #expect(
                try await client.send(.get, "/v1/notices/\(notice)").json["reads"]
                    == .object(["zh-x-sichuan": .number(1), "zh": .number(2), "nan": .number(1)]),
                "each read counted under the tag served")

            let twice = try await client.send(
                .post, "/v1/notices", token: OutreachHarness.staff,
                json: Body([
                    "title": .string("x"), "area": .string("320505-001"), "audience": .string("residents"),
                    "variants": .object(["zh": .string("一"), "mandarin": .string("二"), "nan": .string("三")]),
                ]))
            #expect(twice.status == .unprocessableContent)
            #expect(twice.json["errors"]?.arrayValue.compactMap { $0["field"]?.stringValue } == ["variants/zh"])
            let noMandarin = try await client.send(
                .post, "/v1/notices", token: OutreachHarness.staff,
                json: Body([
                    "title": .string("x"), "area": .string("320505-001"), "audience": .string("residents"),
                    "variants": .object(["nan": .string("三")]),
                ]))
            #expect(noMandarin.json["errors"]?.arrayValue.compactMap { $0["field"]?.stringValue } == ["variants/zh"])
        }
        let published = try await harness.events("outreach.notice.published")
        #expect(published.first?["variants"] == .object(Self.texts))
    }

    @Test func noticesStoredUnderTheFormerNamesAreMovedToTags() async throws {
        let harness = try await OutreachHarness.create()
        let notice = UUID()
        let migration = try #require(OutreachMigrations.all.first { $0.version == 4 })
        try await harness.database.withClient { client in
            try await client.transaction(logger: .test) { connection in
                try await connection.query(
                    """
                    INSERT INTO outreach_notices (id, title, area, audience, variants, created_by, published_at)
                    VALUES (\(notice), '核酸通知', '320505-001', 'residents',
                            '{"mandarin": "明天上午全员核酸", "suzhounese": "明朝上半日", "english": "Testing tomorrow"}', 'staff', now())
                    """,
                    logger: .test)
                try await connection.query(
                    "INSERT INTO outreach_notice_reads (notice_id, reader, language) VALUES (\(notice), 'r1', 'suzhounese'), (\(notice), 'r2', 'mandarin')",
                    logger: .test)
                // The statements of migration 4 that move the names (its first adds columns, already there).
                for statement in migration.statements.dropFirst().prefix(3) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: .test)
                }
            }
        }
        try await harness.run { client in
            let shown = try await client.send(.get, "/v1/notices/\(notice)?language=wuu-x-suzhou").json
            #expect(shown["text"] == .string("明朝上半日"))
            #expect(shown["languages"] == .array(["en", "wuu-x-suzhou", "zh"].map(JSONValue.string)))
            #expect(shown["reads"] == .object(["wuu-x-suzhou": .number(1), "zh": .number(1)]))
        }
    }
}
