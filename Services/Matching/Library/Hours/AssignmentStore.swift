import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of a rostered shift as its volunteer works it: confirmed, checked in, checked out
/// (which records its hours in the ledger and announces `matching.shift.worked`).
struct AssignmentStore {
    let connection: PostgresConnection
    let logger: Logger

    /// An assignment as stored, with where and when its shift is.
    struct Assignment: Sendable {
        var id: UUID
        var volunteer: UUID
        var status: String
        var confirmedAt: Date?
        var checkedInAt: Date?
        var checkedOutAt: Date?
        var area: AreaCode
        var startsAt: Date

        /// A volunteer works their own shifts only — another's is as good as absent (404);
        /// staff, dispatchers and operators those within their area.
        func requireReachable(by access: AccessToken) throws {
            guard access.role == .volunteer else { return try Scope.requireVisible(access, area, what: "assignment") }
            guard access.subject == volunteer.lowercasedString || UUID(uuidString: access.subject) == volunteer else {
                throw NotFound("assignment")
            }
        }
    }

    /// The assignment, locked for a step; `nil` when there is none.
    func lock(_ id: UUID) async throws -> Assignment? {
        try await connection.query(
            """
            SELECT a.volunteer_id, a.status, a.confirmed_at, a.checked_in_at, a.checked_out_at, p.area, s.starts_at
            FROM roster_assignments a JOIN shifts s ON s.id = a.shift_id JOIN posts p ON p.id = s.post_id
            WHERE a.id = \(id) FOR UPDATE OF a
            """,
            logger: logger
        ).decode((UUID, String, Date?, Date?, Date?, String, Date).self).collectAll().first.flatMap { row in
            AreaCode(row.5).map { area in
                Assignment(
                    id: id, volunteer: row.0, status: row.1, confirmedAt: row.2, checkedInAt: row.3, checkedOutAt: row.4,
                    area: area, startsAt: row.6
                )
            }
        }
    }

    /// Records `step` at `at`. Confirming again changes nothing; checking in twice, out
    /// before in, or anything on a cancelled assignment is refused (409); a time that cannot
    /// be (in long before the shift, out before in) is a 422 on `at`.
    func record(_ step: AttendanceStep, of assignment: Assignment, at: Date, actor: String) async throws {
        let id = assignment.id
        guard assignment.status != "cancelled" else { throw Refusal("This assignment was cancelled.", title: "Cancelled") }
        switch step {
        case .confirm:
            guard assignment.confirmedAt == nil else { return }
            try await connection.query(
                "UPDATE roster_assignments SET confirmed_at = now(), status = 'confirmed' WHERE id = \(id)", logger: logger
            )
        case .checkIn:
            if let checkedIn = assignment.checkedInAt {
                throw Refusal("Checked in at \(Timestamp.format(checkedIn)).", title: "Already checked in")
            }
            guard at > assignment.startsAt.addingTimeInterval(-2 * 3600) else {
                throw InvalidFields("at", "more than two hours before the shift starts")
            }
            try await connection.query(
                "UPDATE roster_assignments SET checked_in_at = \(at), status = 'on-duty' WHERE id = \(id)", logger: logger
            )
        case .checkOut:
            try await checkOut(assignment, at: at, actor: actor)
        }
    }

    private func checkOut(_ assignment: Assignment, at: Date, actor: String) async throws {
        guard let checkedIn = assignment.checkedInAt else {
            throw Refusal("Check in first; a forgotten check-in is fixed by a correction.", title: "Not checked in")
        }
        if let checkedOut = assignment.checkedOutAt {
            throw Refusal("Checked out at \(Timestamp.format(checkedOut)).", title: "Already checked out")
        }
        guard at > checkedIn else { throw InvalidFields("at", "check-out comes after check-in") }
        let hours = min(24, (at.timeIntervalSince(checkedIn) / 3600 * 100).rounded() / 100)
        let id = assignment.id
        try await connection.query("UPDATE roster_assignments SET checked_out_at = \(at), status = 'done' WHERE id = \(id)", logger: logger)
        try await ServiceHours(connection: connection, logger: logger).record(
            volunteer: assignment.volunteer, source: "shift", sourceID: id, hours: hours, actor: actor
        )
        try await Outbox.append(
            MatchingEvents.shiftWorked(assignment: id, area: assignment.area.rawValue, volunteer: assignment.volunteer, hours: hours),
            on: connection, logger: logger
        )
    }
}
