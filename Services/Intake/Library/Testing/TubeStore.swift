import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of a tube's lab result and of the tube as staff read it: for a positive tube,
/// the residents to re-test one by one.
///
/// Concurrency: recording a result locks the tube's row (`FOR UPDATE`, the row check-ins
/// lock too), so two results for one tube take turns and the second meets the first; a
/// result is final, so the positive event is appended once.
struct TubeStore {
    let connection: PostgresConnection
    let logger: Logger

    struct Resident: Codable {
        var residentCode: String
        var scannedAt: Date
        /// Whether a retest sample of this resident was taken in the round since.
        var retested: Bool
    }

    struct Tube: Codable {
        var tubeBarcode: String
        var roundId: UUID
        var siteId: UUID
        var area: String
        var sampleGroup: String?
        var poolSize: Int
        var residents: Int
        var result: String?
        var resultAt: Date?
        /// Only for a positive tube: who gave a swab to it, to be re-tested (单管单采).
        var retest: [Resident]
    }

    /// Records `result` for the tube, when `access` covers its site; the same result again
    /// changes nothing, another one is refused.
    func record(_ result: TubeResult, for tube: String, by access: AccessToken) async throws -> Tube {
        let row = try await connection.query(
            """
            SELECT t.round_id, t.site_id, s.area, t.result FROM testing_tubes t JOIN testing_sites s ON s.id = t.site_id
            WHERE t.tube_barcode = \(tube) FOR UPDATE OF t
            """,
            logger: logger
        ).decode((UUID, UUID, String, String?).self).collectAll().first
        guard let (round, site, areaText, current) = row, let area = AreaCode(areaText) else { throw NotFound("tube") }
        try Scope.requireVisible(access, area, what: "tube")
        if let current {
            guard current == result.rawValue else {
                throw Refusal("The tube's result is \(current) already; a result is final.", title: "Result recorded")
            }
        } else {
            try await connection.query(
                "UPDATE testing_tubes SET result = \(result.rawValue), result_at = now(), result_by = \(access.subject) WHERE tube_barcode = \(tube)",
                logger: logger
            )
        }
        guard let read = try await self.tube(tube, visibleTo: access) else { throw NotFound("tube") }
        if current == nil && result == .positive {
            try await Outbox.append(
                IntakeEvents.positiveTube(tube, round: round, site: site, area: area, residents: read.residents), on: connection,
                logger: logger)
        }
        return read
    }

    /// The tube as `access` may read it; `nil` when unknown or outside the caller's area.
    func tube(_ tube: String, visibleTo access: AccessToken) async throws -> Tube? {
        let row = try await connection.query(
            """
            SELECT t.round_id, t.site_id, s.area, t.sample_group, r.pool_size, t.result, t.result_at,
                   (SELECT count(*)::int FROM checkins c WHERE c.tube_barcode = t.tube_barcode)
            FROM testing_tubes t JOIN testing_sites s ON s.id = t.site_id JOIN testing_rounds r ON r.id = t.round_id
            WHERE t.tube_barcode = \(tube)
            """,
            logger: logger
        ).decode((UUID, UUID, String, String?, Int, String?, Date?, Int).self).collectAll().first
        guard let (round, site, area, group, poolSize, result, resultAt, residents) = row,
            let code = AreaCode(area), access.covers(code)
        else { return nil }
        var retest: [Resident] = []
        if result == TubeResult.positive.rawValue {
            for try await (resident, scannedAt, retested) in try await connection.query(
                """
                SELECT c.resident_code, c.scanned_at,
                       EXISTS (SELECT 1 FROM checkins x WHERE x.round_id = c.round_id AND x.resident_code = c.resident_code
                               AND x.retest AND x.tube_barcode <> c.tube_barcode AND x.scanned_at >= c.scanned_at)
                FROM checkins c WHERE c.tube_barcode = \(tube) ORDER BY c.resident_code
                """,
                logger: logger
            ).decode((String, Date, Bool).self) {
                retest.append(Resident(residentCode: resident, scannedAt: scannedAt, retested: retested))
            }
        }
        return Tube(
            tubeBarcode: tube, roundId: round, siteId: site, area: area, sampleGroup: group, poolSize: poolSize, residents: residents,
            result: result, resultAt: resultAt, retest: retest
        )
    }
}
