/// Writes a minimal Office Open XML workbook (.xlsx) that Excel, WPS and LibreOffice open:
/// content types, the package and workbook relationships, the workbook and one worksheet per
/// sheet, with text as inline strings (no shared-strings part) and no styles.
///
/// Text is XML-escaped and loses the characters XML 1.0 forbids (`XMLText`). Sheet names are
/// made acceptable to Excel: `[]:*?/\` become `_`, at most 31 characters, never empty, unique.
/// A workbook needs at least one sheet, so no sheets give one empty "Sheet1".
public enum XLSXWriter {
    public static func workbook(_ sheets: [Sheet]) -> [UInt8] {
        let sheets = sheets.isEmpty ? [Sheet(name: "Sheet1", rows: [])] : sheets
        let names = SheetNames.acceptable(sheets.map(\.name))
        var zip = ZipWriter()
        zip.add(path: "[Content_Types].xml", contents: Array(contentTypes(count: sheets.count).utf8))
        zip.add(path: "_rels/.rels", contents: Array(packageRelationships.utf8))
        zip.add(path: "xl/workbook.xml", contents: Array(workbookXML(names: names).utf8))
        zip.add(path: "xl/_rels/workbook.xml.rels", contents: Array(workbookRelationships(count: sheets.count).utf8))
        for (index, sheet) in sheets.enumerated() {
            zip.add(path: "xl/worksheets/sheet\(index + 1).xml", contents: worksheet(sheet.rows))
        }
        return zip.finished()
    }

    private static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    private static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let packageRelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"

    private static func contentTypes(count: Int) -> String {
        var xml = declaration
        xml += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        xml += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        xml += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        xml +=
            "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        for index in 1...count {
            xml += "<Override PartName=\"/xl/worksheets/sheet\(index).xml\" "
            xml += "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return xml + "</Types>"
    }

    private static var packageRelationships: String {
        declaration + "<Relationships xmlns=\"\(packageRelationshipsNamespace)\">"
            + "<Relationship Id=\"rId1\" Type=\"\(relationships)/officeDocument\" Target=\"xl/workbook.xml\"/>"
            + "</Relationships>"
    }

    private static func workbookXML(names: [String]) -> String {
        var xml = declaration + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(relationships)\"><sheets>"
        for (index, name) in names.enumerated() {
            xml += "<sheet name=\"\(XMLText.escaped(name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }
        return xml + "</sheets></workbook>"
    }

    private static func workbookRelationships(count: Int) -> String {
        var xml = declaration + "<Relationships xmlns=\"\(packageRelationshipsNamespace)\">"
        for index in 1...count {
            xml += "<Relationship Id=\"rId\(index)\" Type=\"\(relationships)/worksheet\" Target=\"worksheets/sheet\(index).xml\"/>"
        }
        return xml + "</Relationships>"
    }

    private static func worksheet(_ rows: [[Cell]]) -> [UInt8] {
        var xml = declaration + "<worksheet xmlns=\"\(main)\"><sheetData>"
        for (rowIndex, row) in rows.enumerated() {
            let rowNumber = rowIndex + 1
            xml += "<row r=\"\(rowNumber)\">"
            for (columnIndex, cell) in row.enumerated() {
                let reference = CellReference.column(columnIndex) + String(rowNumber)
                switch cell {
                case .text(let value) where value.isEmpty:
                    continue  // an empty cell is no cell; readers place the next one by its reference
                case .number(let value) where value.isFinite:
                    xml += "<c r=\"\(reference)\"><v>\(NumberText.format(value))</v></c>"
                case .number(let value):
                    xml += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(value)</t></is></c>"
                case .text(let value):
                    xml += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XMLText.escaped(value))</t></is></c>"
                }
            }
            xml += "</row>"
        }
        xml += "</sheetData></worksheet>"
        return Array(xml.utf8)
    }
}

/// Sheet names Excel accepts.
enum SheetNames {
    static func acceptable(_ names: [String]) -> [String] {
        var used: Set<String> = []
        var result: [String] = []
        for (index, name) in names.enumerated() {
            var base = String(
                name.unicodeScalars.compactMap { scalar -> Character? in
                    if "[]:*?/\\".unicodeScalars.contains(scalar) { return "_" }
                    return scalar.value < 0x20 || !XMLText.allowed(scalar) ? nil : Character(scalar)
                }
                .prefix(31)
            )
            if base.allSatisfy({ $0 == " " }) { base = "Sheet\(index + 1)" }
            var candidate = base
            var suffix = 2
            while used.contains(candidate.lowercased()) {
                let tail = " (\(suffix))"
                candidate = String(base.prefix(31 - tail.count)) + tail
                suffix += 1
            }
            used.insert(candidate.lowercased())
            result.append(candidate)
        }
        return result
    }
}

/// A1-style references: column letters from a zero-based index, and back.
enum CellReference {
    static func column(_ index: Int) -> String {
        var index = index
        var letters: [Character] = []
        repeat {
            letters.append(Character(Unicode.Scalar(UInt8(65 + index % 26))))
            index = index / 26 - 1
        } while index >= 0
        return String(letters.reversed())
    }
}
