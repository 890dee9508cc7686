import Testing

@testable import Tabular

@Suite struct CSVWriterTests {
    @Test func writesBOMQuotesAndCRLF() {
        let bytes = CSVWriter.document([
            [.text("姓名"), .text("备注")],
            [.text("王, 芳"), .text("说 \"好\"\n第二行")],
            [.number(42), .number(-1.5)],
        ])
        let expected = "\u{FEFF}姓名,备注\r\n\"王, 芳\",\"说 \"\"好\"\"\n第二行\"\r\n42,-1.5\r\n"
        #expect(bytes == Array(expected.utf8))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
    }

    @Test(arguments: ["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "\rx"])
    func guardsTextThatASpreadsheetWouldRunAsAFormula(_ text: String) {
        let bytes = CSVWriter.document([[.text(text)]])
        let body = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(body.hasPrefix("'") || body.hasPrefix("\"'"))
    }

    @Test func leavesNegativeNumbersAndPlainTextAlone() {
        let bytes = CSVWriter.document([[.number(-3), .text("a-b"), .text("")]])
        #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self) == "-3,a-b,\r\n")
    }
}
