import Testing

@testable import Tabular

@Suite struct CSVReaderTests {
    @Test func readsQuotedFieldsAndEveryLineEnding() throws {
        let text = "a,\"b, c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",x\ny\rlast"
        let rows = try CSVReader.rows(Array(text.utf8))
        #expect(rows == [["a", "b, c", "say \"hi\""], ["two\nlines", "x"], ["y"], ["last"]])
    }

    @Test func keepsEmptyLinesAsRowsAndDropsTheFinalLineBreak() throws {
        let rows = try CSVReader.rows(Array("h1,h2\r\n\r\nv1,v2,,\r\n\r\n".utf8))
        #expect(rows == [["h1", "h2"], [], ["v1", "v2"]])
    }

    @Test func stripsTheUTF8ByteOrderMark() throws {
        let rows = try CSVReader.rows([0xEF, 0xBB, 0xBF] + Array("姓名\r\n王芳".utf8))
        #expect(rows == [["姓名"], ["王芳"]])
    }

    @Test func decodesGB18030AsExcelOnChineseWindowsSavesIt() throws {
        let bytes: [UInt8] = [
            0xD0, 0xD5, 0xC3, 0xFB, 0x2C, 0xB1, 0xB8, 0xD7, 0xA2, 0x0D, 0x0A,  // 姓名,备注
            0xCD, 0xF5, 0xB7, 0xBC, 0x2C, 0x22, 0xD2, 0xBB, 0x2C, 0xB6, 0xFE, 0x22, 0x0D, 0x0A,  // 王芳,"一,二"
            0x95, 0x32, 0x82, 0x36, 0xA2, 0xE3, 0x0D, 0x0A,  // 𠀀€ (four-byte and two-byte forms)
        ]
        let rows = try CSVReader.rows(bytes)
        #expect(rows == [["姓名", "备注"], ["王芳", "一,二"], ["𠀀€"]])
    }

    @Test func refusesBytesThatAreNeitherUTF8NorGB18030() {
        #expect(throws: TabularError.unreadableText(offset: 2)) { try CSVReader.rows([0x61, 0x2C, 0xFF, 0xFF]) }
        #expect(throws: TabularError.utf16) { try CSVReader.rows([0xFF, 0xFE, 0x61, 0x00]) }
    }

    @Test func refusesAQuoteThatIsNeverClosed() {
        #expect(throws: TabularError.unterminatedQuote(row: 2)) { try CSVReader.rows(Array("a\r\n\"b,c\r\nd".utf8)) }
    }

    @Test func holdsRowsAndColumnsToTheLimits() throws {
        let limits = TabularLimits(rows: 2, columns: 3)
        #expect(throws: TabularError.tooManyRows(limit: 2)) { try CSVReader.rows(Array("a\nb\nc".utf8), limits: limits) }
        #expect(throws: TabularError.tooManyColumns(limit: 3)) { try CSVReader.rows(Array("a,b,c,d".utf8), limits: limits) }
        // Empty rows and trailing empty fields past the limits are no values, so no error.
        #expect(try CSVReader.rows(Array("a,b,c,,,,\nb\n\n\n\n".utf8), limits: limits) == [["a", "b", "c"], ["b"]])
    }
}
