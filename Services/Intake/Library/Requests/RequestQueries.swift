import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// The reads of residents' requests: a page of a list (contacts masked) and one request with
/// its history and the request it probably repeats. Requests copied from an outreach need
/// are always shown as ``OutreachNeedCopy/shown(_:)`` makes them.
struct RequestQueries {
    let client: PostgresClient
    let logger: Logger

    struct Item: Codable {
        var id: UUID
        var cursor: Int64
        var category: String
        var details: JSONValue
        var urgency: String
        var compound: String
        var address: String
        var zone: String
        var contactName: String
        var contactPhone: String
        var filedBy: String
        var status: String
        var probableDuplicateOf: UUID?
        var mergedInto: UUID?
        var createdAt: Date
        var updatedAt: Date
        /// Set when outreach found the need: the resident's contact, address and medicine are
        /// then withheld here and read from outreach with a reason (see `OutreachNeedCopy`).
        var outreachNeedId: UUID?
    }

    struct HistoryEntry: Codable {
        var at: Date
        var status: String
        var cause: String
        var actor: String
    }

    struct Detail: Codable {
        var request: Item
        var history: [HistoryEntry]
        /// The earlier request this one probably repeats, shown side by side.
        var original: Item?
    }

    /// One page of the requests `query` selects (its area filter included), phones masked.
    func page(_ query: ListQuery) async throws -> Page<Item> {
        var items: [Item] = []
        let sql = query.sql(columns: Self.columns, from: "requests", areaColumn: "compound")
        for try await row in try await client.query(sql, logger: logger).decode(Row.self) {
            items.append(Self.item(row, masked: true))
        }
        return Page(items: items, limit: query.limit, cursor: \.cursor)
    }

    /// The request with its history, when `access` may see it; `nil` otherwise, exactly as
    /// when it does not exist.
    func detail(_ id: UUID, visibleTo access: AccessToken) async throws -> Detail? {
        guard let item = try await fetch(id), let compound = AreaCode(item.compound), access.covers(compound) else { return nil }
        var history: [HistoryEntry] = []
        for try await (at, status, cause, actor) in try await client.query(
            "SELECT at, status, cause, actor FROM request_history WHERE request_id = \(id) ORDER BY at", logger: logger
        ).decode((Date, String, String, String).self) {
            history.append(HistoryEntry(at: at, status: status, cause: cause, actor: actor))
        }
        var original: Item?
        if let earlier = item.probableDuplicateOf { original = try await fetch(earlier) }
        return Detail(request: item, history: history, original: original)
    }

    private func fetch(_ id: UUID) async throws -> Item? {
        try await client.query("SELECT \(unescaped: Self.columns) FROM requests WHERE id = \(id)", logger: logger)
            .decode(Row.self).collectAll().first.map { Self.item($0, masked: false) }
    }

    private static let columns = """
        id, seq, category, details::text, urgency, compound, address, zone, contact_name, contact_phone, filed_by, status,
        probable_duplicate_of, merged_into, created_at, updated_at, outreach_need_id
        """
    private typealias Row = (
        UUID, Int64, String, String, String, String, String, String, String, String, String, String, UUID?, UUID?, Date, Date, UUID?
    )

    private static func item(_ row: Row, masked: Bool) -> Item {
        let (id, seq, category, details, urgency, compound, address, zone, name, phone, filedBy, status) =
            (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11)
        let (duplicate, merged, created, updated, need) = (row.12, row.13, row.14, row.15, row.16)
        let item = Item(
            id: id, cursor: seq, category: category, details: (try? JSONParser.parse(Array(details.utf8))) ?? .null, urgency: urgency,
            compound: compound, address: address, zone: zone, contactName: name,
            contactPhone: masked ? (MobileNumber(phone)?.masked ?? "***") : phone, filedBy: filedBy, status: status,
            probableDuplicateOf: duplicate, mergedInto: merged, createdAt: created, updatedAt: updated, outreachNeedId: need
        )
        return need == nil ? item : OutreachNeedCopy.shown(item)
    }
}
