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

    /// Each tube's pool, locked: creates the tubes not seen before (with the round, site and
    /// group of their first check-in, empty) and locks them all, in barcode order, with one
    /// statement that returns every tube's row; then reads the residents of the tubes that
    /// existed already (none, in the usual case) by a statement of its own, after the lock, so
    /// it sees what committed while this batch waited.
    func lockedPools(_ firsts: [Checkin], sites: [UUID: Site]) async throws -> [String: TubePool] {
        var pools: [String: TubePool] = [:]
        var seenBefore: [String] = []
        for try await (tube, round, site, group, result, fresh) in try await connection.query(
            """
            INSERT INTO testing_tubes AS t (tube_barcode, round_id, site_id, sample_group)
            SELECT b, r, s, NULLIF(g, '')
            FROM UNNEST(\(firsts.map(\.tubeBarcode))::text[], \(firsts.map(\.round))::uuid[], \(firsts.map(\.site))::uuid[],
                        \(firsts.map { $0.sampleGroup ?? "" })::text[]) WITH ORDINALITY AS i(b, r, s, g, n)
            ORDER BY n
            ON CONFLICT (tube_barcode) DO UPDATE SET tube_barcode = t.tube_barcode
            RETURNING tube_barcode, round_id, site_id, sample_group, result, xmax = 0 AS fresh
            """,
            logger: logger
        ).decode((String, UUID, UUID, String?, String?, Bool).self) {
            pools[tube] = TubePool(
                round: round, site: site, sampleGroup: group, size: sites[site]?.poolSize ?? 1, residents: [], result: result)
            if !fresh { seenBefore.append(tube) }
        }
        guard !seenBefore.isEmpty else { return pools }
        for try await (tube, resident) in try await connection.query(
            "SELECT tube_barcode, resident_code FROM checkins WHERE tube_barcode = ANY(\(seenBefore))", logger: logger
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
