import Foundation
import Models
import TestSupport
import Testing

@testable import Intake

@Suite struct CheckinAnswerTests {
    @Test func theHandWrittenBatchAnswerDecodesToTheSameResults() throws {
        let results = [
            CheckinResult(index: 0, status: .accepted, reason: nil),
            CheckinResult(index: 1, status: .duplicate, reason: "tube TUBE-1 was already checked in"),
            CheckinResult(index: 2, status: .invalid, reason: "residentCode must be \"4–64\" letters\n\\ 居民码"),
            CheckinResult(index: 3, status: .refused, reason: "the tube is full"),
        ]
        let answer = TestingRoutes.BatchAnswer(results)
        let decoded = try JSONDecoder().decode(TestingRoutes.BatchAnswer.self, from: Data(answer.json))
        #expect(decoded.results == results)
        #expect((decoded.accepted, decoded.duplicates, decoded.invalid, decoded.refused) == (1, 1, 1, 1))
    }

    @Test(arguments: ["TUBE-0001", "res-42", "ABCdef123"])
    func codesOfLettersDigitsAndDashesPass(_ code: String) {
        let input = CheckinInput(
            roundId: UUID(), siteId: UUID(), residentCode: code + "-r", tubeBarcode: code, sampleGroup: nil,
            scannedAt: Timestamp.format(Date()), operator: "op1", retest: nil)
        #expect((try? input.validated(index: 0).get()) != nil)
    }

    @Test(arguments: ["TUBE 0001", "管-000001", "ＴＵＢＥ-0001", "tube_0001", "é-000001"])
    func codesWithAnythingElseAreRefused(_ code: String) {
        let input = CheckinInput(
            roundId: UUID(), siteId: UUID(), residentCode: "RES-1", tubeBarcode: code, sampleGroup: nil,
            scannedAt: Timestamp.format(Date()), operator: "op1", retest: nil)
        guard case .failure(let problem) = input.validated(index: 0) else {
            Issue.record("\(code) was accepted")
            return
        }
        #expect(problem.fields.map(\.field) == ["tubeBarcode"])
    }
}
