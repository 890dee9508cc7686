import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store
import Tabular

/// Imports the rows of an uploaded registry that passed the form, in the caller's
/// transaction: each one is registered exactly as `POST /v1/residents` registers it
/// (``ResidentStore/register(_:)``: follow-ups start, `outreach.resident.registered` is
/// announced) unless its ID number is registered already.
///
/// Concurrency: imports take one transaction-scoped advisory lock, so two uploads of the same
/// file at the same moment take turns and the second finds every row of the first. (A single
/// registration does not take the lock and never refused a repeated ID number; an import
/// never adds a second record for an ID number it can see.)
///
/// Only the caller's own area is searched: answering "registered elsewhere" would tell any
/// street, 5,000 numbers an upload, who in the city is on a registry of the disabled, the
/// mentally ill and children in difficulty. A number registered in another street is
/// registered again here, as `POST /v1/residents` would.
struct ResidentImportStore {
    let connection: PostgresConnection
    let logger: Logger

    /// A registration already on the registry, found by ID number.
    struct Existing {
        var id: UUID
        var compound: AreaCode?
        var closed: Bool
    }

    func importRows(_ rows: [(row: Int, value: VulnerableResident)], by access: AccessToken) async throws -> [ImportAnswer.Result] {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext('outreach.resident-import'))", logger: logger)
        let known = try await AreaDirectory(connection: connection, logger: logger).levels(of: Array(Set(rows.map(\.value.compound))))
        var existing = try await registered(rows.compactMap(\.value.idNumber?.value), within: access)
        var results: [ImportAnswer.Result] = []
        for (row, resident) in rows {
            guard known[resident.compound] != nil else {
                results.append(
                    .init(
                        row: row, status: .invalid,
                        errors: [.init(field: "compound", message: "unknown area code \(resident.compound.rawValue)")]))
                continue
            }
            guard let number = resident.idNumber?.value else { continue }
            if let found = existing[number] {
                let reason =
                    found.closed ? "already registered; the record is closed — reopen it to watch over them again" : "already registered"
                results.append(.init(row: row, status: .unchanged, id: found.id.lowercasedString, reason: reason))
                continue
            }
            let id = try await ResidentStore(connection: connection, logger: logger).register(resident)
            existing[number] = Existing(id: id, compound: resident.compound, closed: false)
            results.append(.init(row: row, status: .created, id: id.lowercasedString))
        }
        return results
    }

    /// The registrations in `access`'s area holding these ID numbers (the earliest, when one
    /// holds several).
    private func registered(_ numbers: [String], within access: AccessToken) async throws -> [String: Existing] {
        guard !numbers.isEmpty else { return [:] }
        var found: [String: Existing] = [:]
        for try await (number, id, compound, status) in try await connection.query(
            """
            SELECT id_number, id, compound, status FROM outreach_residents
            WHERE id_number = ANY(\(numbers)) AND compound LIKE \(access.areaPattern) ORDER BY seq
            """,
            logger: logger
        ).decode((String, UUID, String, String).self) where found[number] == nil {
            found[number] = Existing(id: id, compound: AreaCode(compound), closed: status == "closed")
        }
        return found
    }
}
