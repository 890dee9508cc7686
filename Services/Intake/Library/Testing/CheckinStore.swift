import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// Writes a batch of check-ins set-based — a fixed handful of statements whatever its size —
/// relying on the natural keys (one resident once per tube; one sample per resident per round
/// unless a retest) so a resent batch, to this replica or another, is stored once and answered
/// the same way.
///
/// Concurrency: a tube's pool (``TubePool``) is checked on its `testing_tubes` row: a new
/// tube's row is created by the statement that stores its first check-in, which holds the
/// tube's key until the commit; a tube seen before is locked (in barcode order) before its
/// residents are read (`CheckinStore+Pools.swift`). So two batches filling one tube take
/// turns and the second sees the first's residents; batches on different tubes do not wait
/// for each other.
struct CheckinStore {
    let connection: PostgresConnection
    let logger: Logger

    struct Site {
        var round: UUID
        var area: AreaCode
        var poolSize: Int
    }

    /// The sites named, with their round, area and the round's pool size.
    private func sites(_ ids: Set<UUID>) async throws -> [UUID: Site] {
        var sites: [UUID: Site] = [:]
        for try await (id, round, area, poolSize) in try await connection.query(
            """
            SELECT s.id, s.round_id, s.area, r.pool_size FROM testing_sites s JOIN testing_rounds r ON r.id = s.round_id
            WHERE s.id = ANY(\(Array(ids)))
            """,
            logger: logger
        ).decode((UUID, UUID, String, Int).self) {
            if let area = AreaCode(area) { sites[id] = Site(round: round, area: area, poolSize: poolSize) }
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
        // One global order for the tubes' rows and the unique-index entries, so concurrent
        // batches do not deadlock.
        let order = given.indices.sorted {
            (given[$0].tubeBarcode, given[$0].residentCode) < (given[$1].tubeBarcode, given[$1].residentCode)
        }
        var steps = [Step?](repeating: nil, count: given.count)
        var stored = Set<TubeResident>()
        var rest = order
        let tubes = Self.tubes(given, order: order)
        var fresh: [String: Bool] = [:]
        if !tubes.shared {
            // Every tube is named once: a tube new to the round takes its check-in in the same
            // statement that creates it (the surge's usual case); the others are planned below.
            fresh = try await insertWithNewTubes(order.map { given[$0] })
            rest = []
            for position in order {
                let checkin = given[position]
                guard let inserted = fresh[checkin.tubeBarcode] else {
                    rest.append(position)
                    continue
                }
                steps[position] = .add
                if inserted { stored.insert(TubeResident(tube: checkin.tubeBarcode, resident: checkin.residentCode)) }
            }
        }
        if !rest.isEmpty {
            let checkins = rest.map { given[$0] }
            // The first check-in of each tube left (all of them when a tube is named twice).
            let pools = try await lockedPools(tubes.firsts.filter { fresh[$0.tubeBarcode] == nil }, sites: sites)
            let inOrder = rest.sorted()
            var plan = Self.plan(inOrder.map { given[$0] }, pools: pools, sampledThisRound: nil)
            if plan.contains(where: { if case .refused = $0 { true } else { false } }) {
                // A tube filled up in this batch: residents already sampled this round must not
                // have taken its last places, so ask which they are and plan again.
                plan = Self.plan(inOrder.map { given[$0] }, pools: pools, sampledThisRound: try await sampledThisRound(checkins))
            }
            for (position, step) in zip(inOrder, plan) { steps[position] = step }
            stored.formUnion(try await insert(rest.filter { steps[$0] == .add }.map { given[$0] }))
        }
        var results: [CheckinResult] = []
        results.reserveCapacity(given.count)
        var accepted: [Checkin] = []
        accepted.reserveCapacity(stored.count)
        for (checkin, step) in zip(given, steps) {
            switch step {
            case .add? where stored.contains(TubeResident(tube: checkin.tubeBarcode, resident: checkin.residentCode)):
                results.append(CheckinResult(index: checkin.index, status: .accepted))
                accepted.append(checkin)
            case .alreadyInTube?:
                results.append(CheckinResult(index: checkin.index, status: .duplicate, reason: "already recorded"))
            case .refused(let reason)?:
                results.append(CheckinResult(index: checkin.index, status: .refused, reason: reason))
            case .add?, .sampledThisRound?, nil:
                results.append(
                    CheckinResult(
                        index: checkin.index, status: .duplicate,
                        reason: "resident already checked in this round; send retest: true for a second sample"))
            }
        }
        try await announce(accepted, sites: sites)
        return results
    }

    /// Creates the tubes of `checkins` (sorted, one per tube) that are new, each with its
    /// check-in, in one statement; returns, for each tube created, whether its check-in was
    /// stored (not, when the resident was sampled this round already). A tube that existed is
    /// left out, for the planned path. Creating the row holds its key until the commit, so a
    /// concurrent batch naming the tube waits, then finds it and plans.
    private func insertWithNewTubes(_ checkins: [Checkin]) async throws -> [String: Bool] {
        var fresh: [String: Bool] = [:]
        fresh.reserveCapacity(checkins.count)
        for try await (tube, inserted) in try await connection.query(
            """
            WITH i AS (
                SELECT * FROM UNNEST(\(checkins.map(\.round))::uuid[], \(checkins.map(\.site))::uuid[], \(checkins.map(\.residentCode))::text[],
                                     \(checkins.map(\.tubeBarcode))::text[], \(checkins.map { $0.sampleGroup ?? "" })::text[],
                                     \(checkins.map(\.scannedAt))::timestamptz[], \(checkins.map(\.operatorCode))::text[],
                                     \(checkins.map(\.retest))::bool[])
                     WITH ORDINALITY AS i(r, s, c, t, g, a, o, x, n)
            ), tubes AS (
                INSERT INTO testing_tubes (tube_barcode, round_id, site_id, sample_group)
                SELECT t, r, s, NULLIF(g, '') FROM i ORDER BY n
                ON CONFLICT (tube_barcode) DO NOTHING
                RETURNING tube_barcode
            ), stored AS (
                INSERT INTO checkins (round_id, site_id, resident_code, tube_barcode, sample_group, scanned_at, operator, retest)
                SELECT r, s, c, t, NULLIF(g, ''), a, o, x FROM i JOIN tubes ON tubes.tube_barcode = i.t ORDER BY n
                ON CONFLICT DO NOTHING
                RETURNING tube_barcode
            )
            SELECT tubes.tube_barcode, stored.tube_barcode IS NOT NULL FROM tubes LEFT JOIN stored USING (tube_barcode)
            """,
            logger: logger
        ).decode((String, Bool).self) {
            fresh[tube] = inserted
        }
        return fresh
    }

    private struct TubeResident: Hashable {
        var tube: String
        var resident: String
    }

    /// Inserts `checkins` (already sorted), skipping any a concurrent or earlier write holds;
    /// returns the tube and resident of each row inserted.
    private func insert(_ checkins: [Checkin]) async throws -> Set<TubeResident> {
        guard !checkins.isEmpty else { return [] }
        var inserted = Set<TubeResident>()
        for try await (tube, resident) in try await connection.query(
            """
            INSERT INTO checkins (round_id, site_id, resident_code, tube_barcode, sample_group, scanned_at, operator, retest)
            SELECT r, s, c, t, NULLIF(g, ''), a, o, x
            FROM UNNEST(\(checkins.map(\.round))::uuid[], \(checkins.map(\.site))::uuid[], \(checkins.map(\.residentCode))::text[],
                        \(checkins.map(\.tubeBarcode))::text[], \(checkins.map { $0.sampleGroup ?? "" })::text[],
                        \(checkins.map(\.scannedAt))::timestamptz[], \(checkins.map(\.operatorCode))::text[], \(checkins.map(\.retest))::bool[])
                 WITH ORDINALITY AS i(r, s, c, t, g, a, o, x, n)
            ORDER BY n
            ON CONFLICT DO NOTHING
            RETURNING tube_barcode, resident_code
            """,
            logger: logger
        ).decode((String, String).self) {
            inserted.insert(TubeResident(tube: tube, resident: resident))
        }
        return inserted
    }

    /// One `intake.checkins.recorded` per site of the accepted items: how many residents,
    /// and which tubes (no resident codes).
    private func announce(_ accepted: [Checkin], sites: [UUID: Site]) async throws {
        let bySite = Dictionary(grouping: accepted, by: \.site)
        let events = bySite.keys.sorted { $0.uuidString < $1.uuidString }.map { site in
            let checkins = bySite[site]!
            var seen = Set<String>()
            let tubes = checkins.map(\.tubeBarcode).filter { seen.insert($0).inserted }
            return IntakeEvents.checkins(
                batch: UUID(), round: sites[site]!.round, site: site, area: sites[site]!.area, residents: checkins.count, tubes: tubes)
        }
        try await Outbox.append(events, on: connection, logger: logger)
    }
}
