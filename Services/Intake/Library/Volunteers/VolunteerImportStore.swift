import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store
import Tabular

/// Signs up the rows of a desk's upload that passed the form, in the caller's transaction,
/// each exactly as a desk sign-up (``VolunteerStore/signUp(_:call:desk:)``): pending, with
/// its declaration in the history and `intake.volunteer.registered` announced — never
/// verified, which takes a station's vetting of a fit declaration.
///
/// Concurrency: each sign-up locks the call (`FOR UPDATE`) until the upload commits, so an
/// upload and public sign-ups to the same call take turns and an enforced headcount is never
/// overfilled; the ID number's unique index makes a repeated row (in this file, an earlier
/// upload, or a concurrent one) `unchanged`, never a second volunteer.
struct VolunteerImportStore {
    let connection: PostgresConnection
    let logger: Logger

    func importRows(_ rows: [(row: Int, value: NewVolunteer)], call: UUID, desk: AccessToken) async throws -> [ImportAnswer.Result] {
        // Asked first, so a file whose rows are all invalid names a missing call as clearly as one that is not.
        let area = try await connection.query("SELECT area FROM recruitment_calls WHERE id = \(call)", logger: logger)
            .decode(String.self).collectAll().first.flatMap(AreaCode.init)
        guard let area else { throw NotFound("recruitment call") }
        // A desk fills its own street's calls (or, for a community's desk, its street's): not
        // another street's, which would fill that call's places and show its staff our volunteers.
        guard desk.covers(area) || desk.area.map(area.contains) == true else {
            throw Refusal("This recruitment call belongs to \(area.rawValue), outside your area; import into a call of your own.")
        }
        let store = VolunteerStore(connection: connection, logger: logger)
        var results: [ImportAnswer.Result] = []
        for (row, volunteer) in rows {
            do {
                switch try await store.signUp(volunteer, call: call, desk: desk) {
                case .registered(let id): results.append(.init(row: row, status: .created, id: id.lowercasedString))
                case .alreadyRegistered(let link?):
                    let id = link.split(separator: "/").last.map(String.init)
                    results.append(
                        .init(row: row, status: .unchanged, id: id, reason: "this ID number is already registered as a volunteer"))
                case .alreadyRegistered(nil), .repeatedQuietly:
                    results.append(.init(row: row, status: .outOfArea, reason: "this ID number is already registered outside your area"))
                }
            } catch let invalid as InvalidFields {
                results.append(.init(row: row, invalid: invalid))
            } catch let refusal as any DomainRefusal {
                results.append(.init(row: row, status: .refused, reason: refusal.description))
            }
        }
        return results
    }
}
