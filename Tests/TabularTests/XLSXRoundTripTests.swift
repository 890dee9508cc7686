import Testing

@testable import Tabular

@Suite struct XLSXRoundTripTests {
    @Test func whatTheWriterWritesTheReaderReadsBack() throws {
        let rows: [[Cell]] = [
            [.text("姓名"), .text("数量"), .text("备注")],
            [.text("王芳"), .number(12), .text("A & B <c> \"q\" 'a'")],
            [.text("=1+1"), .number(-1.5), .text("two\r\nlines\tand 😀")],
            [.text(""), .number(1e20), .text("end")],
        ]
        let workbook = XLSXWriter.workbook([Sheet(name: "名单", rows: rows)])
        #expect(try XLSXReader.rows(workbook) == rows)
    }

    @Test func dropsCharactersXMLForbidsAndKeepsTheRest() throws {
        let workbook = XLSXWriter.workbook([Sheet(name: "s", rows: [[.text("a\u{1}b\u{FFFF}c")]])])
        #expect(try XLSXReader.rows(workbook) == [[.text("abc")]])
    }

    @Test func makesSheetNamesExcelAccepts() throws {
        let workbook = XLSXWriter.workbook([
            Sheet(name: "a/b", rows: []), Sheet(name: "A_B", rows: []), Sheet(name: "", rows: []),
            Sheet(name: String(repeating: "长", count: 40), rows: []),
        ])
        #expect(try XLSXReader.sheetNames(workbook) == ["a_b", "A_B (2)", "Sheet3", String(repeating: "长", count: 31)])
        #expect(try XLSXReader.sheetNames(XLSXWriter.workbook([])) == ["Sheet1"])
    }

    @Test func theSameSheetsGiveTheSameBytes() {
        let sheets = [Sheet(name: "s", rows: [[.text("x"), .number(1)]])]
        #expect(XLSXWriter.workbook(sheets) == XLSXWriter.workbook(sheets))
    }
}
