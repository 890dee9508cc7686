import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// A notice in the reader's language, with the languages it has and the reads counted.
struct NoticeView: Codable {
    var id: UUID
    var title: String
    var area: String
    var audience: String
    var category: String?
    /// The tag of the text served: the one asked for, a broader one, or `zh`.
    var language: String
    /// The tag asked for (canonical case), when one was.
    var requested: String?
    /// True when the text is not in the language asked for.
    var fallback: Bool
    var text: String
    var languages: [String]
    var publishedAt: Date?
    var reads: [String: Int]
}

/// A notice as stored, before a language is picked for the reader.
struct StoredNotice: Sendable {
    var id: UUID
    var title: String
    var area: AreaCode
    var audience: String
    var category: String?
    var text: NoticeText
    var publishedAt: Date?
    var reads: [String: Int]

    /// The notice in `language` when written (or a broader tag of it), else in Mandarin.
    func view(in language: LanguageTag?) -> NoticeView? {
        guard let (served, body) = text.text(for: language) else { return nil }
        return NoticeView(
            id: id, title: title, area: area.rawValue, audience: audience, category: category, language: served.rawValue,
            requested: language?.rawValue, fallback: language.map { $0 != served } ?? false, text: body,
            languages: text.variants.keys.map(\.rawValue).sorted(), publishedAt: publishedAt, reads: reads
        )
    }
}

/// The reads of notices.
struct NoticeQueries {
    let client: PostgresClient
    let logger: Logger

    /// The notice with its texts and its reads per language; nil when there is no such notice.
    func notice(_ id: UUID) async throws -> StoredNotice? {
        guard
            let row = try await client.query(
                """
                SELECT title, area, audience, category, variants::text, published_at,
                       coalesce((SELECT jsonb_object_agg(language, n) FROM (
                           SELECT language, count(*) AS n FROM outreach_notice_reads WHERE notice_id = \(id) GROUP BY language) c), '{}')::text
                FROM outreach_notices WHERE id = \(id)
                """,
                logger: logger
            ).decode((String, String, String, String?, String, Date?, String).self).collectAll().first, let area = AreaCode(row.1)
        else { return nil }
        var variants: [LanguageTag: String] = [:]
        if case .object(let members) = (try? JSONParser.parse(Array(row.4.utf8))) ?? .null {
            for (key, text) in members {
                if let language = LanguageTag(key), let text = text.stringValue { variants[language] = text }
            }
        }
        var reads: [String: Int] = [:]
        if case .object(let counts) = (try? JSONParser.parse(Array(row.6.utf8))) ?? .null {
            for (key, value) in counts { reads[key] = value.intValue ?? 0 }
        }
        return StoredNotice(
            id: id, title: row.0, area: area, audience: row.2, category: row.3, text: NoticeText(variants: variants), publishedAt: row.5,
            reads: reads
        )
    }
}
