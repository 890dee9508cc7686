import Foundation
import Models
import PostgresNIO

/// The planned path of a batch, for tubes seen before or named more than once: lock the
/// tubes, read who is in them, and run each check-in through its tube's pool (``TubePool``)
/// in the order sent. Still set-based: a fixed number of statements per batch.
extension CheckinStore {
    struct RoundResident: Hashable {
        var round: UUID
        var resident: String
    }

    /// Each tube's first check-in in the order sent (which sets the tube's round, site and
    /// group), in barcode order (`order` sorts `checkins` by barcode); and whether any tube is
    /// named more than once.
    static func tubes(_ checkins: [Checkin], order: [Int]) -> (firsts: [Checkin], shared: Bool) {
        var firsts: [Checkin] = []
        firsts.reserveCapacity(order.count)
        var shared = false
        for position in order {
            let checkin = checkins[position]
            if let last = firsts.last, last.tubeBarcode == checkin.tubeBarcode {
                shared = true
                if checkin.index < last.index { firsts[firsts.count - 1] = checkin }
            } else {
                firsts.append(checkin)
            }
        }
        return (firsts, shared)
    }

    /// What to do with each check-in, in the order given.
    enum Step: Equatable {
        case add, alreadyInTube, sampledThisRound
        case refused(String)
    }

    /// Runs every check-in through its tube's pool, in the order sent. With
    /// `sampledThisRound`, a resident sampled this round (before, or earlier in the batch)
    /// without `retest` takes no place in a tube; without it the insert finds them.
    static func plan(_ checkins: [Checkin], pools: [String: TubePool], sampledThisRound: Set<RoundResident>?) -> [Step] {
        var pools = pools
        var sampled = sampledThisRound ?? []
        return checkins.map { checkin in
            let key = RoundResident(round: checkin.round, resident: checkin.residentCode)
            if sampledThisRound != nil, !checkin.retest, sampled.contains(key),
                pools[checkin.tubeBarcode]?.residents.contains(checkin.residentCode) == false
            {
                return .sampledThisRound
            }
            switch pools[checkin.tubeBarcode]?.admit(checkin) {
            case .add?:
                if sampledThisRound != nil && !checkin.retest { sampled.insert(key) }
                return .add
            case .alreadyInTube?: return .alreadyInTube
            case .refused(let reason)?: return .refused(reason)
            case nil: return .refused("not recorded; resend")
            }
        }
    }

    /// A tube seen before this batch, as its row says.
    struct StoredTube {
        var round: UUID
        var site: UUID
        var sampleGroup: String?
        var result: String?
    }

    /// Creates the tubes not seen before (with the round, site and group of their first
    /// check-in) and locks them all, in barcode order, with one statement; returns the tubes
    /// that existed already (none, in the usual case).
    func lockTubes(_ firsts: [Checkin]) async throws -> [String: StoredTube] {
        var seenBefore: [String: StoredTube] = [:]
        for try await (tube, round, site, group, result) in try await connection.query(
            """
            WITH t AS (
                INSERT INTO testing_tubes AS t (tube_barcode, round_id, site_id, sample_group)
                SELECT b, r, s, NULLIF(g, '')
                FROM UNNEST(\(firsts.map(\.tubeBarcode))::text[], \(firsts.map(\.round))::uuid[], \(firsts.map(\.site))::uuid[],
                            \(firsts.map { $0.sampleGroup ?? "" })::text[]) WITH ORDINALITY AS i(b, r, s, g, n)
                ORDER BY n
                ON CONFLICT (tube_barcode) DO UPDATE SET tube_barcode = t.tube_barcode
                RETURNING tube_barcode, round_id, site_id, sample_group, result, xmax = 0 AS fresh
            )
            SELECT tube_barcode, round_id, site_id, sample_group, result FROM t WHERE NOT fresh
            """,
            logger: logger
        ).decode((String, UUID, UUID, String?, String?).self) {
            seenBefore[tube] = StoredTube(round: round, site: site, sampleGroup: group, result: result)
        }
        return seenBefore
    }

    /// Each tube's pool: a new tube's from its first check-in, empty; a tube seen before from
    /// its row, with the residents in it — read by a statement of its own, after the lock, so
    /// it sees what committed while this batch waited.
    func pools(_ firsts: [Checkin], seenBefore: [String: StoredTube], sites: [UUID: Site]) async throws -> [String: TubePool] {
        var pools: [String: TubePool] = [:]
        for first in firsts {
            let tube =
                seenBefore[first.tubeBarcode]
                ?? StoredTube(round: first.round, site: first.site, sampleGroup: first.sampleGroup, result: nil)
            let size = sites[tube.site]?.poolSize ?? 1
            pools[first.tubeBarcode] = TubePool(
                round: tube.round, site: tube.site, sampleGroup: tube.sampleGroup, size: size, residents: [], result: tube.result)
        }
        guard !seenBefore.isEmpty else { return pools }
        for try await (tube, resident) in try await connection.query(
            "SELECT tube_barcode, resident_code FROM checkins WHERE tube_barcode = ANY(\(Array(seenBefore.keys)))", logger: logger
        ).decode((String, String).self) {
            pools[tube]?.residents.insert(resident)
        }
        return pools
    }

    /// Which of these residents already gave a first sample in the check-in's round.
    func sampledThisRound(_ checkins: [Checkin]) async throws -> Set<RoundResident> {
        let firsts = checkins.filter { !$0.retest }
        var sampled = Set<RoundResident>()
        for try await (round, resident) in try await connection.query(
            """
            SELECT c.round_id, c.resident_code FROM checkins c
            JOIN UNNEST(\(firsts.map(\.round))::uuid[], \(firsts.map(\.residentCode))::text[]) AS i(r, rc)
              ON c.round_id = i.r AND c.resident_code = i.rc AND NOT c.retest
            """,
            logger: logger
        ).decode((UUID, String).self) {
            sampled.insert(RoundResident(round: round, resident: resident))
        }
        return sampled
    }
}
