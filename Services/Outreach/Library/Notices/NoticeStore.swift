import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// A notice as published: what its event carries.
struct PublishedNotice: Sendable {
    var id: UUID
    var title: String
    var area: AreaCode
    var audience: String
    var category: String?
    var variants: JSONValue
}

/// The SQL of notices, in the caller's transaction: a draft stored, published once (with
/// its event), a reader's acknowledgement counted once.
struct NoticeStore {
    let connection: PostgresConnection
    let logger: Logger

    func create(_ notice: NewNotice, by author: String) async throws -> UUID {
        let id = UUID()
        let texts = JSONValue.object(Dictionary(uniqueKeysWithValues: notice.variants.map { ($0.key.rawValue, .string($0.value)) }))
        try await connection.query(
            """
            INSERT INTO outreach_notices (id, title, area, audience, category, variants, created_by)
            VALUES (\(id), \(notice.title), \(notice.area.rawValue), \(notice.audience.rawValue), \(notice.category?.rawValue),
                    \(texts.canonicalText)::jsonb, \(author))
            """,
            logger: logger
        )
        return id
    }

    /// The notice, locked; nil when there is no such notice. `published` says whether it
    /// was published already.
    func lock(_ id: UUID) async throws -> (notice: PublishedNotice, published: Bool)? {
        guard
            let (title, area, audience, category, variants, published) = try await connection.query(
                "SELECT title, area, audience, category, variants::text, published_at FROM outreach_notices WHERE id = \(id) FOR UPDATE",
                logger: logger
            ).decode((String, String, String, String?, String, Date?).self).collectAll().first, let code = AreaCode(area)
        else { return nil }
        let notice = PublishedNotice(
            id: id, title: title, area: code, audience: audience, category: category,
            variants: (try? JSONParser.parse(Array(variants.utf8))) ?? .object([:])
        )
        return (notice, published != nil)
    }

    /// Publishes `notice` (locked, not yet published) and announces it for the gateways.
    func publish(_ notice: PublishedNotice) async throws {
        try await connection.query("UPDATE outreach_notices SET published_at = now() WHERE id = \(notice.id)", logger: logger)
        try await Outbox.append(OutreachEvents.noticePublished(notice), on: connection, logger: logger)
    }

    /// Counts the read once per reader, under the tag served (as ``NoticeText/text(for:)``
    /// picks it: theirs, a broader one, else Mandarin); false when already counted, or the
    /// notice is not published.
    func count(_ read: NoticeRead, of id: UUID) async throws -> Bool {
        let candidates = read.language.fallbacks.map(\.rawValue)
        return try await connection.query(
            """
            INSERT INTO outreach_notice_reads (notice_id, reader, language)
            SELECT id, \(read.reader),
                   coalesce((SELECT c FROM unnest(\(candidates)::text[]) WITH ORDINALITY AS t(c, o) WHERE variants ? c ORDER BY o LIMIT 1),
                            \(LanguageTag.mandarin.rawValue))
            FROM outreach_notices WHERE id = \(id) AND published_at IS NOT NULL
            ON CONFLICT (notice_id, reader) DO NOTHING RETURNING 1
            """,
            logger: logger
        ).collect().count == 1
    }
}
