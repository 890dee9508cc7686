import Models
import Testing

@testable import Console

@Suite struct AreaLinesTests {
    @Test func linesPastedFromASpreadsheetOrTypedWithCommasBecomeAreas() throws {
        let lines = try AreaLines.parse("320505,姑苏区\n320505-004\t平江街道\n\n# a note\n 320505-004-012 , 平江新城社区 , 8000 \n")
        #expect(
            lines.areas == [
                .object(["code": .string("320505"), "name": .string("姑苏区")]),
                .object(["code": .string("320505-004"), "name": .string("平江街道")]),
                .object(["code": .string("320505-004-012"), "name": .string("平江新城社区"), "population": .number(8000)]),
            ])
    }

    @Test func everyBadLineIsNamedAndNothingIsLoaded() {
        #expect(throws: AreaLines.Problems(lines: ["2: 32050,少一位", "3: 320505-004-012", "4: 320505-004-013,社区,many"])) {
            try AreaLines.parse("320505,姑苏区\n32050,少一位\n320505-004-012\n320505-004-013,社区,many")
        }
    }
}
