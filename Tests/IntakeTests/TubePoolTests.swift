import Foundation
import Testing

@testable import Intake

/// The pooled-sampling rule of one tube, without I/O.
@Suite struct TubePoolTests {
    static let round = UUID()
    static let site = UUID()

    static func checkin(_ resident: String, group: String? = "G1", round: UUID = round, site: UUID = site) -> Checkin {
        Checkin(
            index: 0, round: round, site: site, residentCode: resident, tubeBarcode: "TUBE-0001", sampleGroup: group,
            scannedAt: Date(), operatorCode: "op1", retest: false)
    }

    @Test(arguments: [1, 10, 20])
    func aTubeTakesItsPoolOfDistinctResidentsAndRefusesTheNext(_ size: Int) {
        var pool = TubePool(round: Self.round, site: Self.site, sampleGroup: "G1", size: size, residents: [])
        for n in 0..<size { #expect(pool.admit(Self.checkin("R-000\(n)")) == .add) }
        guard case .refused(let reason) = pool.admit(Self.checkin("R-9999")) else {
            Issue.record("resident \(size + 1) was admitted")
            return
        }
        #expect(reason.contains("take a new tube"))
        #expect(pool.residents.count == size)
    }

    @Test func aResidentAlreadyInTheTubeIsAResendEvenWhenItIsFull() {
        var pool = TubePool(round: Self.round, site: Self.site, sampleGroup: "G1", size: 1, residents: ["R-0001"])
        #expect(pool.admit(Self.checkin("R-0001")) == .alreadyInTube)
    }

    /// A tested tube takes nobody new: their swab would join a result it was never part of.
    @Test func aTubeWithItsResultTakesNoNewResidentButAResendStaysAResend() {
        var pool = TubePool(round: Self.round, site: Self.site, sampleGroup: "G1", size: 10, residents: ["R-0001"], result: "positive")
        #expect(pool.admit(Self.checkin("R-0001")) == .alreadyInTube)
        guard case .refused(let reason) = pool.admit(Self.checkin("R-0002")) else {
            Issue.record("a tested tube took a new resident")
            return
        }
        #expect(reason.contains("tested already"))
        #expect(pool.residents == ["R-0001"])
    }

    @Test func aTubeKeepsTheRoundSiteAndSampleGroupOfItsFirstCheckIn() {
        var pool = TubePool(round: Self.round, site: Self.site, sampleGroup: "G1", size: 10, residents: ["R-0001"])
        let refusals = [
            Self.checkin("R-0002", round: UUID()), Self.checkin("R-0002", site: UUID()), Self.checkin("R-0002", group: "G2"),
            Self.checkin("R-0002", group: nil),
        ].map { pool.admit($0) }
        for decision in refusals {
            guard case .refused = decision else {
                Issue.record("admitted: \(decision)")
                continue
            }
        }
        #expect(pool.residents == ["R-0001"])
    }
}
