import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// The SQL of compounds' control status: what the street last reported for each compound,
/// every report kept with who made it and when, and a status change announced
/// (`supplies.compound.status-changed`, codes and counts only) in the caller's transaction.
///
/// Concurrency: a report takes a transaction-scoped advisory lock on the compound's code
/// before it reads the status it replaces, so two reports sent at once apply one after the
/// other and each change of status is announced exactly once, with the status it left.
struct CompoundStore {
    let connection: PostgresConnection
    let logger: Logger

    /// One compound as a list shows it: its status and counts, or `nil`s when the street
    /// has reported nothing for it yet.
    struct Compound: Codable {
        var code: String
        var name: String
        var status: String?
        var households: Int?
        var population: Int?
        var setBy: String?
        var setAt: Date?
    }

    /// One report of a compound's status, as kept in its history.
    struct Report: Codable {
        var status: String
        var households: Int
        var population: Int?
        var setBy: String
        var role: String
        var at: Date
    }

    struct Detail: Codable {
        var compound: Compound
        var history: [Report]
    }

    /// Records `report` for the compound `code` (404 when the geography has no such
    /// compound) and announces a change of status.
    func set(_ report: CompoundReport, for code: AreaCode, by access: AccessToken) async throws -> Compound {
        guard try await AreaDirectory(connection: connection, logger: logger).levels(of: [code])[code] == .compound else {
            throw NotFound("compound")
        }
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtext(\("supplies-compound:" + code.rawValue)))", logger: logger)
        let previous = try await connection.query("SELECT status FROM supplies_compounds WHERE code = \(code.rawValue)", logger: logger)
            .decode(String.self).collectAll().first
        let (status, role) = (report.status.rawValue, access.role.rawValue)
        try await connection.query(
            """
            INSERT INTO supplies_compounds (code, status, households, population, set_by, set_role, set_at)
            VALUES (\(code.rawValue), \(status), \(report.households), \(report.population), \(access.subject), \(role), now())
            ON CONFLICT (code) DO UPDATE SET status = EXCLUDED.status, households = EXCLUDED.households,
                population = EXCLUDED.population, set_by = EXCLUDED.set_by, set_role = EXCLUDED.set_role, set_at = EXCLUDED.set_at
            """,
            logger: logger
        )
        try await connection.query(
            """
            INSERT INTO supplies_compound_history (code, status, households, population, set_by, set_role)
            VALUES (\(code.rawValue), \(status), \(report.households), \(report.population), \(access.subject), \(role))
            """,
            logger: logger
        )
        if previous != status {
            try await Outbox.append(
                SuppliesEvents.compoundStatusChanged(code, report, previous: previous), on: connection, logger: logger)
        }
        guard let compound = try await compound(code) else { throw NotFound("compound") }
        return compound
    }

    /// The compounds of the geography under `pattern` (a SQL `LIKE` prefix), by code, after
    /// the code `after`; `status` filters to compounds last reported with it.
    func list(pattern: String, status: ZoneStatus?, after: String, limit: Int) async throws -> [Compound] {
        let status = status?.rawValue ?? ""
        return try await compounds(
            """
            \(unescaped: Self.selectCompounds) AND a.code LIKE \(pattern) AND a.code > \(after) AND (\(status) = '' OR s.status = \(status))
            ORDER BY a.code LIMIT \(limit)
            """)
    }

    /// The compound with every report made of it, newest first (at most 200); `nil` when the
    /// geography has no such compound.
    func read(_ code: AreaCode) async throws -> Detail? {
        guard let compound = try await compound(code) else { return nil }
        let history = try await connection.query(
            """
            SELECT status, households, population, set_by, set_role, set_at FROM supplies_compound_history
            WHERE code = \(code.rawValue) ORDER BY seq DESC LIMIT 200
            """,
            logger: logger
        ).decode((String, Int, Int?, String, String, Date).self).collectAll().map {
            Report(status: $0.0, households: $0.1, population: $0.2, setBy: $0.3, role: $0.4, at: $0.5)
        }
        return Detail(compound: compound, history: history)
    }

    /// The compound `code` with its status, without its history; `nil` when the geography has
    /// no such compound.
    private func compound(_ code: AreaCode) async throws -> Compound? {
        try await compounds("\(unescaped: Self.selectCompounds) AND a.code = \(code.rawValue)").first
    }

    /// Every compound of the geography with its status, when one was reported: the start of a
    /// query that goes on with `AND …`.
    private static let selectCompounds = """
        SELECT a.code, a.name, s.status, s.households, s.population, s.set_by, s.set_at
        FROM areas a LEFT JOIN supplies_compounds s ON s.code = a.code
        WHERE a.level = 'compound'
        """

    /// The compounds `query` (starting with ``selectCompounds``) selects.
    private func compounds(_ query: PostgresQuery) async throws -> [Compound] {
        try await connection.query(query, logger: logger).decode((String, String, String?, Int?, Int?, String?, Date?).self)
            .collectAll().map { row in
                Compound(code: row.0, name: row.1, status: row.2, households: row.3, population: row.4, setBy: row.5, setAt: row.6)
            }
    }
}
