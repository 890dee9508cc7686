import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// Writes a batch of check-ins in one statement, relying on the natural keys (tube
/// barcode; one sample per resident per round unless a retest) so a resent batch — to
/// this replica or another — is stored once and answered the same way.
struct CheckinStore {
    let connection: PostgresConnection
    let logger: Logger

    struct Site {
        var round: UUID
        var area: AreaCode
    }

    /// The sites named, with their round and area.
    private func sites(_ ids: Set<UUID>) async throws -> [UUID: Site] {
        var sites: [UUID: Site] = [:]
        for try await (id, round, area) in try await connection.query(
            "SELECT id, round_id, area FROM testing_sites WHERE id = ANY(\(Array(ids)))", logger: logger
        ).decode((UUID, UUID, String).self) {
            if let area = AreaCode(area) { sites[id] = Site(round: round, area: area) }
        }
        return sites
    }

    /// Checks each check-in against its site (a site of its round, within the area of the
    /// caller `scope` names for it) and records the acceptable ones: one result per check-in,
    /// by its index. The single, batched and coalesced paths all come through here.
    func checkIn(_ checkins: [Checkin], scope: (Checkin) -> AccessToken) async throws -> [Int: CheckinResult] {
        let sites = try await sites(Set(checkins.map(\.site)))
        var results: [Int: CheckinResult] = [:]
        var acceptable: [Checkin] = []
        for checkin in checkins {
            if let problem = Self.problem(with: checkin, sites: sites, scope: scope(checkin)) {
                results[checkin.index] = CheckinResult(index: checkin.index, status: .invalid, reason: problem)
            } else {
                acceptable.append(checkin)
            }
        }
        for result in try await record(acceptable, sites: sites) { results[result.index] = result }
        return results
    }

    /// Why `checkin` cannot be recorded for a caller of `scope`, or `nil`.
    private static func problem(with checkin: Checkin, sites: [UUID: Site], scope: AccessToken) -> String? {
        guard let site = sites[checkin.site], site.round == checkin.round else { return "siteId is not a site of roundId" }
        guard scope.covers(site.area) else { return "the site is outside this device's area" }
        return nil
    }

    /// Inserts what is new; returns the results of the items given, in their order.
    private func record(_ given: [Checkin], sites: [UUID: Site]) async throws -> [CheckinResult] {
        guard !given.isEmpty else { return [] }
        // One global order for the unique-index entries, so concurrent batches do not deadlock.
        let checkins = given.sorted { ($0.tubeBarcode, $0.residentCode) < ($1.tubeBarcode, $1.residentCode) }
        struct Stored: Hashable {
            var tube: String
            var resident: String
            var round: UUID
        }
        var inserted = Set<Stored>()
        for try await (tube, resident, round) in try await connection.query(
            """
            INSERT INTO checkins (round_id, site_id, resident_code, tube_barcode, sample_group, scanned_at, operator, retest)
            SELECT r, s, c, t, NULLIF(g, ''), a, o, x
            FROM UNNEST(\(checkins.map(\.round))::uuid[], \(checkins.map(\.site))::uuid[], \(checkins.map(\.residentCode))::text[],
                        \(checkins.map(\.tubeBarcode))::text[], \(checkins.map { $0.sampleGroup ?? "" })::text[],
                        \(checkins.map(\.scannedAt))::timestamptz[], \(checkins.map(\.operatorCode))::text[], \(checkins.map(\.retest))::bool[])
                 WITH ORDINALITY AS i(r, s, c, t, g, a, o, x, n)
            ORDER BY n
            ON CONFLICT DO NOTHING
            RETURNING tube_barcode, resident_code, round_id
            """,
            logger: logger
        ).decode((String, String, UUID).self) {
            inserted.insert(Stored(tube: tube, resident: resident, round: round))
        }
        func isStored(_ checkin: Checkin) -> Bool {
            inserted.contains(Stored(tube: checkin.tubeBarcode, resident: checkin.residentCode, round: checkin.round))
        }
        let rejected = checkins.filter { !isStored($0) }
        let existing = try await existingTubes(rejected.map(\.tubeBarcode))
        var seen = Set<String>()
        var results: [CheckinResult] = []
        for checkin in given {
            // The stored item is the one whose tube, resident and round came back; a repeat
            // of it within the batch is a duplicate.
            if isStored(checkin) && seen.insert(checkin.tubeBarcode).inserted {
                results.append(CheckinResult(index: checkin.index, status: .accepted))
            } else if let owner = existing[checkin.tubeBarcode], owner.resident == checkin.residentCode, owner.round == checkin.round {
                results.append(CheckinResult(index: checkin.index, status: .duplicate, reason: "already recorded"))
            } else if existing[checkin.tubeBarcode] != nil || seen.contains(checkin.tubeBarcode) {
                results.append(
                    CheckinResult(index: checkin.index, status: .duplicate, reason: "tube barcode already used for another sample"))
            } else {
                results.append(
                    CheckinResult(
                        index: checkin.index, status: .duplicate,
                        reason: "resident already checked in this round; send retest: true for a second sample"))
            }
        }
        try await announce(given.filter(isStored), sites: sites)
        return results
    }

    private func existingTubes(_ tubes: [String]) async throws -> [String: (resident: String, round: UUID)] {
        guard !tubes.isEmpty else { return [:] }
        var owners: [String: (resident: String, round: UUID)] = [:]
        for try await (tube, resident, round) in try await connection.query(
            "SELECT tube_barcode, resident_code, round_id FROM checkins WHERE tube_barcode = ANY(\(tubes))", logger: logger
        ).decode((String, String, UUID).self) {
            owners[tube] = (resident, round)
        }
        return owners
    }

    /// One `intake.checkins.recorded` per site of the accepted items: counts and tubes only.
    private func announce(_ accepted: [Checkin], sites: [UUID: Site]) async throws {
        var seen = Set<String>()
        let unique = accepted.filter { seen.insert($0.tubeBarcode).inserted }
        let bySite = Dictionary(grouping: unique, by: \.site)
        let events = bySite.keys.sorted { $0.uuidString < $1.uuidString }.map { site in
            IntakeEvents.checkins(
                batch: UUID(), round: sites[site]!.round, site: site, area: sites[site]!.area, tubes: bySite[site]!.map(\.tubeBarcode))
        }
        try await Outbox.append(events, on: connection, logger: logger)
    }
}
