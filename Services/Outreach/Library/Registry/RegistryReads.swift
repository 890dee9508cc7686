import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// The registry's read log: who read a resident's record, when and why. Every read of a
/// record (or of the contact in it) writes its line here in the transaction that reads, so
/// there is no read without its line; the record's owner sees them (`…/reads`).
struct RegistryReads {
    let connection: PostgresConnection
    let logger: Logger

    func log(resident: UUID, by access: AccessToken, reason: String) async throws {
        try await log(resident: resident, reader: access.subject, role: access.role.rawValue, reason: reason)
    }

    func log(resident: UUID, reader: String, role: String, reason: String) async throws {
        try await connection.query(
            "INSERT INTO outreach_record_reads (resident_id, reader, role, reason) VALUES (\(resident), \(reader), \(role), \(reason))",
            logger: logger
        )
    }
}
