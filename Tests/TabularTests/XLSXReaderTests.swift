import Testing

@testable import Tabular

@Suite struct XLSXReaderTests {
    @Test func readsTheFirstSheetByDefaultAndAnotherByName() throws {
        #expect(try XLSXReader.sheetNames(WorkbookFixture.bytes) == ["说明", "名单"])
        #expect(try XLSXReader.rows(WorkbookFixture.bytes) == [[], [.text(""), .text("说明")]])
        #expect(throws: TabularError.noSuchSheet("Sheet9")) { try XLSXReader.rows(WorkbookFixture.bytes, sheet: "Sheet9") }
    }

    @Test func readsSharedInlineRichAndFormulaCellsInTheirPlaces() throws {
        let rows = try XLSXReader.rows(WorkbookFixture.bytes, sheet: "名单")
        #expect(
            rows == [
                [.text("姓名"), .text(""), .text("备注")],
                [],
                [.text("王 芳"), .number(110_101_199_003_074_512), .text("A & B <c> 中国"), .text("TRUE"), .text("姓名x")],
                [.text("<raw>"), .number(2.5)],
            ])
    }

    @Test func aNumberCellReadsAsTheDigitsTyped() {
        #expect(Cell.number(13_800_138_000).text == "13800138000")
        #expect(Cell.number(2.5).text == "2.5")
    }

    @Test func refusesCellsBeyondTheLimits() throws {
        let workbook = XLSXWriter.workbook([Sheet(name: "s", rows: [[.text("a")], [.text("b")], [.text("c")]])])
        #expect(throws: TabularError.tooManyRows(limit: 2)) { try XLSXReader.rows(workbook, limits: TabularLimits(rows: 2)) }
        let wide = XLSXWriter.workbook([Sheet(name: "s", rows: [[.text("a"), .text("b"), .text("c")]])])
        #expect(throws: TabularError.tooManyColumns(limit: 2)) { try XLSXReader.rows(wide, limits: TabularLimits(columns: 2)) }
    }

    @Test func positionsFollowA1References() {
        #expect(SheetCells.position("A1")! == (1, 0))
        #expect(SheetCells.position("AA10")! == (10, 26))
        #expect(SheetCells.position("XFD1048576")! == (1_048_576, 16_383))
        #expect(SheetCells.position("XFE1") == nil)
        #expect(SheetCells.position("A0") == nil)
        #expect(SheetCells.position("1A") == nil)
        #expect(SheetCells.position("A99999999") == nil)
    }
}
