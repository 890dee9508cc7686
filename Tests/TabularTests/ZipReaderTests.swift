import Testing

@testable import Tabular

/// Hostile and damaged workbooks: each a clear `TabularError`, never a crash.
@Suite struct ZipReaderTests {
    private static let sheet = "xl/worksheets/sheet1.xml"

    /// The offset of `name`'s central-directory record.
    private func central(_ bytes: [UInt8], _ name: String) throws -> Int {
        let target = Array(name.utf8)
        for offset in 0..<(bytes.count - 46) where bytes[offset..<(offset + 4)] == [0x50, 0x4B, 0x01, 0x02] {
            let length = Int(bytes[offset + 28]) | Int(bytes[offset + 29]) << 8
            if Array(bytes[(offset + 46)..<(offset + 46 + length)]) == target { return offset }
        }
        throw TabularError.missingPart(name)
    }

    private func patched(_ bytes: [UInt8], field: Int, to value: UInt32) throws -> [UInt8] {
        var bytes = bytes
        let offset = try central(bytes, Self.sheet) + field
        for index in 0..<4 { bytes[offset + index] = UInt8((value >> (8 * UInt32(index))) & 0xFF) }
        return bytes
    }

    @Test func everyTruncationIsAnErrorNotACrash() {
        let workbook = XLSXWriter.workbook([Sheet(name: "s", rows: [[.text("姓名"), .number(1)]])])
        for length in 0..<workbook.count {
            #expect(throws: TabularError.self) { try XLSXReader.rows(Array(workbook.prefix(length))) }
        }
        for length in stride(from: 0, to: WorkbookFixture.bytes.count, by: 7) {
            #expect(throws: TabularError.self) { try XLSXReader.rows(Array(WorkbookFixture.bytes.prefix(length))) }
        }
    }

    @Test func anyFlippedByteIsReadOrRefusedButNeverCrashes() {
        let original = WorkbookFixture.bytes
        for offset in original.indices {
            var damaged = original
            damaged[offset] ^= 0x5A
            _ = try? XLSXReader.rows(damaged, sheet: "名单")
        }
    }

    @Test func aChangedByteFailsTheCRC() throws {
        var workbook = XLSXWriter.workbook([Sheet(name: "s", rows: [[.text("QQQQ")]])])
        let marker = Array("QQQQ".utf8)
        let at = try #require((0..<(workbook.count - 4)).first { Array(workbook[$0..<($0 + 4)]) == marker })
        workbook[at] = UInt8(ascii: "R")
        #expect(throws: TabularError.corruptEntry(Self.sheet)) { try XLSXReader.rows(workbook) }
    }

    @Test func aZipBombIsRefusedBeforeItInflates() throws {
        // The directory says the sheet unpacks to 60 MB: refused without inflating a byte.
        let bomb = try patched(WorkbookFixture.bytes, field: 24, to: 60 * 1_048_576)
        #expect(throws: TabularError.tooLarge(limit: 50 * 1_048_576)) { try XLSXReader.rows(bomb, sheet: "名单") }
        // The budget is shared by all parts read from one workbook.
        #expect(throws: TabularError.tooLarge(limit: 1_000)) {
            try XLSXReader.rows(WorkbookFixture.bytes, sheet: "名单", limits: TabularLimits(inflatedBytes: 1_000))
        }
    }

    @Test func aSizeThatLiesIsRefused() throws {
        let liar = try patched(WorkbookFixture.bytes, field: 24, to: 10)
        #expect(throws: TabularError.corruptEntry(Self.sheet)) { try XLSXReader.rows(liar, sheet: "名单") }
    }

    @Test func encryptedEntriesTooManyEntriesAndNonZipsAreRefused() throws {
        var encrypted = WorkbookFixture.bytes
        encrypted[try central(encrypted, Self.sheet) + 8] |= 1
        #expect(throws: TabularError.encryptedEntry(Self.sheet)) { try XLSXReader.rows(encrypted, sheet: "名单") }
        #expect(throws: TabularError.tooManyEntries(limit: 3)) {
            try XLSXReader.rows(WorkbookFixture.bytes, limits: TabularLimits(zipEntries: 3))
        }
        #expect(throws: TabularError.self) { try XLSXReader.rows(Array("姓名,身份证号\r\n".utf8)) }
    }
}
