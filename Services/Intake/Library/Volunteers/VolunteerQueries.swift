import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// The reads of volunteers: a page of a list (mobile and ID numbers masked, no health data)
/// and one volunteer's full record with the history of actions and declarations, for staff.
///
/// A caller sees the volunteers of their area and those who signed up through a call of
/// their area: a volunteer from another street of the district who answered a street's call
/// is that street's to see and vet, as well as their own street's.
struct VolunteerQueries {
    let client: PostgresClient
    let logger: Logger

    struct ListItem: Codable {
        var id: UUID
        var cursor: Int64
        var name: String
        var mobile: String
        var idNumber: String
        var community: String
        var teamId: UUID?
        var status: String
        var trained: Bool
        var insured: Bool
        var eligible: Bool
        var skills: [String]
        /// Only in a single volunteer's record, read by staff: a health declaration is
        /// medical data, not something a list page or a dispatcher needs.
        var health: JSONValue?
        var createdAt: Date
    }

    struct HistoryEntry: Codable {
        var at: Date
        var action: String
        var status: String
        var reason: String?
        var actor: String
    }

    struct DeclarationEntry: Codable {
        var declaredAt: Date
        var health: JSONValue
        var fit: Bool
        var actor: String
    }

    struct Detail: Codable {
        var volunteer: ListItem
        var history: [HistoryEntry]
        var declarations: [DeclarationEntry]
    }

    /// One page of the volunteers `query` selects (its area filter included), masked.
    func page(_ query: ListQuery) async throws -> Page<ListItem> {
        var items: [ListItem] = []
        let status = query.status ?? ""
        let sql: PostgresQuery = """
            SELECT \(unescaped: Self.columns) FROM volunteers
            WHERE (community LIKE \(query.areaPattern) OR call_id IN (SELECT id FROM recruitment_calls WHERE area LIKE \(query.areaPattern)))
              AND seq > \(query.after) AND (\(status) = '' OR status = \(status))
            ORDER BY seq LIMIT \(query.limit)
            """
        for try await row in try await client.query(sql, logger: logger).decode(Row.self) {
            items.append(Self.item(row, masked: true))
        }
        return Page(items: items, limit: query.limit, cursor: \.cursor)
    }

    /// The volunteer's full record, when `access` may see it; `nil` otherwise, exactly as
    /// when they do not exist.
    func detail(_ id: UUID, visibleTo access: AccessToken) async throws -> Detail? {
        guard
            let row = try await client.query("SELECT \(unescaped: Self.columns) FROM volunteers WHERE id = \(id)", logger: logger)
                .decode(Row.self).collectAll().first,
            let community = AreaCode(row.5)
        else { return nil }
        if !access.covers(community) {
            let callArea = try await client.withConnection { connection in
                try await VolunteerStore(connection: connection, logger: logger).callArea(of: id)
            }
            guard let callArea, access.covers(callArea) else { return nil }
        }
        var history: [HistoryEntry] = []
        for try await (at, action, status, reason, actor) in try await client.query(
            "SELECT at, action, status, reason, actor FROM volunteer_history WHERE volunteer_id = \(id) ORDER BY at", logger: logger
        ).decode((Date, String, String, String?, String).self) {
            history.append(HistoryEntry(at: at, action: action, status: status, reason: reason, actor: actor))
        }
        var declarations: [DeclarationEntry] = []
        for try await (at, health, actor) in try await client.query(
            "SELECT declared_at, health::text, actor FROM volunteer_declarations WHERE volunteer_id = \(id) ORDER BY declared_at",
            logger: logger
        ).decode((Date, String, String).self) {
            let value = (try? JSONParser.parse(Array(health.utf8))) ?? .null
            let fit = HealthDeclaration(stored: value).unfitReason == nil
            declarations.append(DeclarationEntry(declaredAt: at, health: value, fit: fit, actor: actor))
        }
        return Detail(volunteer: Self.item(row, masked: false), history: history, declarations: declarations)
    }

    private static let columns =
        "id, seq, name, mobile, id_number, community, team_id, status, trained, insured, skills, health::text, created_at"
    private typealias Row = (UUID, Int64, String, String, String, String, UUID?, String, Bool, Bool, [String], String, Date)

    private static func item(_ row: Row, masked: Bool) -> ListItem {
        let (id, seq, name, mobile, idNumber, community, team, status, trained, insured, skills, health, created) = row
        let vetting = VolunteerVetting(status: VolunteerStatus(rawValue: status) ?? .pending, trained: trained, insured: insured)
        return ListItem(
            id: id, cursor: seq, name: name,
            mobile: masked ? (MobileNumber(mobile)?.masked ?? "***") : mobile,
            idNumber: masked ? (ResidentIDNumber(idNumber)?.masked ?? "***") : idNumber,
            community: community, teamId: team, status: status, trained: trained, insured: insured, eligible: vetting.isEligible,
            skills: skills, health: masked ? nil : (try? JSONParser.parse(Array(health.utf8))) ?? .null, createdAt: created
        )
    }
}
